using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;

namespace OverlayPS.Bench.Infra;

/// <summary>
/// A real kernel overlay mount of a stack: the reference the engine is measured against,
/// made by the product's own mount code (Mount-Overlay's Core), which hands a stack too long
/// for one mount(2) page (500 lowers) to the new mount API layer by layer.
/// </summary>
public sealed class KernelOverlay : IDisposable
{
    public string MountPoint { get; }
    readonly IReadOnlyList<string> lowers;
    readonly string upper, work;
    bool mounted;

    public KernelOverlay(string mountPoint, IReadOnlyList<string> lowers, string upper, string work)
    {
        MountPoint = mountPoint;
        this.lowers = lowers;
        this.upper = upper;
        this.work = work;
        Directory.CreateDirectory(mountPoint);
        Directory.CreateDirectory(work);
        Mount();
    }

    public void Mount()
    {
        if (mounted) return;
        OverlayMounter.Mount(new OverlayMountRequest(MountPoint, new LayerStack(lowers, upper, work)));
        mounted = true;
    }

    public void Unmount()
    {
        if (!mounted) return;
        OverlayMounter.Dismount(MountPoint, detach: false);
        mounted = false;
    }

    /// <summary>Unmounts and mounts again: drops the overlay's dentry and readdir caches, so
    /// the next lookups walk the layers as a first lookup does.</summary>
    public void Remount()
    {
        Unmount();
        Mount();
    }

    public void Dispose() => Unmount();
}
