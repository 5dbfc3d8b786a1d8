using System.Diagnostics;
using OverlayPS.Core.Layers;

namespace OverlayPS.Tests.Union;

/// <summary>A real kernel overlay mount of a stack (the oracle), unmounted on dispose.</summary>
public sealed class KernelOverlay : IDisposable
{
    public string MountPoint { get; }

    /// <param name="extraOptions">More mount options (redirect_dir=on, metacopy=on, ...).</param>
    public KernelOverlay(LayerStack stack, string mountPoint, string? extraOptions = null)
    {
        MountPoint = mountPoint;
        Directory.CreateDirectory(mountPoint);
        var opts = "lowerdir=" + string.Join(":", stack.Lowers);
        if (stack.Upper is not null)
            opts += $",upperdir={stack.Upper},workdir={stack.Work}";
        if (stack.XattrPrefix == "user.")
            opts += ",userxattr";
        if (extraOptions is not null)
            opts += "," + extraOptions;
        Run("mount", "-t", "overlay", "overlay", "-o", opts, mountPoint);
    }

    public string this[string unionPath] => MountPoint + (unionPath == "/" ? "" : unionPath);

    public void Dispose() => Unmounts.Any(MountPoint);

    static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {err}");
    }
}
