using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Kernel;

/// <summary>The overlay mounts of this process's mount namespace, from /proc/self/mountinfo.</summary>
public static class OverlayMountTable
{
    public static IReadOnlyList<OverlayMount> List(string mountInfoFile = MountInfo.SelfPath) =>
        MountInfo.ReadAll(mountInfoFile).Select(m => OverlayMount.From(m)).OfType<OverlayMount>().ToArray();

    /// <summary>
    /// The mount a path lives on, as statx reports it (STATX_MNT_ID). Without statx: the entry
    /// with the longest mount point above the path's real location, the last one listed when
    /// several are stacked on the same point. Returns that mount only when it is an overlay.
    /// </summary>
    public static OverlayMount? Holding(string path, string mountInfoFile = MountInfo.SelfPath)
    {
        var real = RealPath.Resolve(path);
        var all = MountInfo.ReadAll(mountInfoFile).ToList();
        var id = MountId.Of(real);
        var byId = id is null ? null : all.LastOrDefault(m => m.MountId == id);
        if (byId is not null)
            return OverlayMount.From(byId);
        MountInfo? best = null;
        foreach (var m in all)
        {
            if (!LayerStackValidator.IsInside(real, m.MountPoint))
                continue;
            if (best is null || m.MountPoint.Length >= best.MountPoint.Length)
                best = m;
        }
        return best is null ? null : OverlayMount.From(best);
    }

    /// <summary>The overlay mounted exactly at mountPoint (the topmost one there), or null when
    /// nothing is mounted there or the topmost mount is not an overlay.</summary>
    public static OverlayMount? At(string mountPoint, string mountInfoFile = MountInfo.SelfPath)
    {
        var real = RealPath.Resolve(mountPoint);
        var top = MountInfo.ReadAll(mountInfoFile).LastOrDefault(m => m.MountPoint == real);
        return top is null ? null : OverlayMount.From(top);
    }

    /// <summary>The mounted overlays whose upper or work dir is one of the stack's: the kernel
    /// mounts a second overlay on an upper in use (ovl_setup_trap only warns: "upperdir is in-use
    /// by another mount, accessing files from both mounts will result in undefined behavior"),
    /// and a drive over it races the kernel the same way.</summary>
    public static IReadOnlyList<OverlayMount> UsingUpperOf(LayerStack stack, string mountInfoFile = MountInfo.SelfPath)
    {
        if (stack.Upper is null)
            return Array.Empty<OverlayMount>();
        var mine = new[] { stack.Upper, stack.Work }.OfType<string>().Select(RealPath.Resolve).ToHashSet(StringComparer.Ordinal);
        return List(mountInfoFile).Where(m => new[] { m.UpperDir, m.WorkDir }.OfType<string>().Any(mine.Contains)).ToList();
    }
}
