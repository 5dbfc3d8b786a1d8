using OverlayPS.Core.Kernel;

namespace OverlayPS.Commands;

/// <summary>
/// The overlays Mount-Overlay mounted in this process and that are still there. Dismount-Overlay
/// unmounts these without asking; any other overlay (a container's root on a Docker host, a
/// mount of another tool or session) is a high-impact unmount that asks first.
/// A mount is known by its mount id and point: ids are reused only after an unmount.
/// </summary>
static class MountsMadeHere
{
    static readonly HashSet<(int, string)> Made = new();

    public static void Add(OverlayMount m)
    {
        lock (Made) Made.Add((m.MountId, m.MountPoint));
    }

    public static bool Contains(OverlayMount m)
    {
        lock (Made) return Made.Contains((m.MountId, m.MountPoint));
    }

    public static void Remove(OverlayMount m)
    {
        lock (Made) Made.Remove((m.MountId, m.MountPoint));
    }
}
