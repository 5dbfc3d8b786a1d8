using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;

namespace OverlayPS.Tests.Union;

/// <summary>
/// A real kernel overlay mount of a stack (the oracle), unmounted on dispose (waiting until
/// the kernel lets go). Made by the product's own mount code (Mount-Overlay's Core), so paths
/// with ',' ':' '\' or spaces reach the kernel escaped exactly as users' mounts do; the one
/// test helper for kernel mounts.
/// </summary>
public sealed class KernelOverlay : IDisposable
{
    public string MountPoint { get; }

    /// <param name="extraOptions">More mount options, comma-separated ("redirect_dir=on,metacopy=on").</param>
    public KernelOverlay(LayerStack stack, string mountPoint, string? extraOptions = null)
    {
        MountPoint = mountPoint;
        Directory.CreateDirectory(mountPoint);
        OverlayMounter.Mount(new OverlayMountRequest(mountPoint, stack)
        {
            ExtraOptions = extraOptions?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? Array.Empty<string>(),
        });
    }

    /// <summary>A read-only mount of lower dirs only (topmost first, as lowerdir= lists them).</summary>
    public static KernelOverlay ReadOnly(string mountPoint, params string[] lowersTopFirst) =>
        new(new LayerStack(lowersTopFirst), mountPoint);

    public string this[string unionPath] => MountPoint + (unionPath == "/" ? "" : unionPath);

    public void Dispose() => Unmounts.Overlay(MountPoint);
}
