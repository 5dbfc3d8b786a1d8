namespace OverlayPS.Bench.Infra;

/// <summary>
/// A real kernel overlay mount of a stack: the reference the engine is measured against.
/// Layer paths are passed relative to <c>baseDir</c> (mount(8) runs there), as Docker does
/// with its l/ links, so 500 lowers fit the one page mount(2) accepts. The legacy option
/// string needs an upper or two lowers: every stack here has an upper.
/// </summary>
public sealed class KernelOverlay : IDisposable
{
    public string MountPoint { get; }
    readonly string baseDir;
    readonly IReadOnlyList<string> lowers;
    readonly string upper, work;
    bool mounted;

    public KernelOverlay(string baseDir, string mountPoint, IReadOnlyList<string> lowers, string upper, string work)
    {
        this.baseDir = baseDir;
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
        var opts = $"lowerdir={string.Join(':', lowers.Select(Rel))},upperdir={Rel(upper)},workdir={Rel(work)}";
        if (opts.Length > 4000)
            throw new InvalidOperationException($"overlay options are {opts.Length} bytes: too long for one page");
        Processes.Check("mount", new[] { "-t", "overlay", "overlay", "-o", opts, MountPoint }, baseDir);
        mounted = true;
    }

    public void Unmount()
    {
        if (!mounted) return;
        Processes.Check("umount", new[] { MountPoint });
        mounted = false;
    }

    /// <summary>Unmounts and mounts again: drops the overlay's dentry and readdir caches, so
    /// the next lookups walk the layers as a first lookup does.</summary>
    public void Remount()
    {
        Unmount();
        Mount();
    }

    string Rel(string path) => Path.GetRelativePath(baseDir, path);

    public void Dispose() => Unmount();
}
