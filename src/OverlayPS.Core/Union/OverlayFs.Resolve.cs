using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>The kernel's limit on symlinks followed in one path walk (MAXSYMLINKS).</summary>
    const int MaxSymlinks = 40;
    const int PathMax = 4096;
    /// <summary>The longest name the layers hold (ext4, xfs, btrfs: 255 bytes); the kernel
    /// takes the layers' statfs f_namelen for ofs->namelen, the same 255 on each of them.</summary>
    const int NameMax = 255;

    /// <summary>
    /// Walks a union path one component at a time from the root. This is the confinement
    /// point: ".." at the root stays at the root, and a symlink met on the way (or at the end,
    /// when <paramref name="followFinal"/>) is read and its target walked inside the union -
    /// an absolute target restarts at the union root, a relative one continues from the link's
    /// directory - so no host path outside the layers is ever reached. Each component costs one
    /// <see cref="LookupChild"/>; nothing is re-resolved from the root.
    /// </summary>
    /// <param name="start">Where a relative path starts (a symlink's directory); the root
    /// when null. An absolute path always starts at the root.</param>
    internal bool TryResolve(string path, bool followFinal, out UnionNode node, out Errno errno, UnionNode? start = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0'))
            return Fail(out node, out errno, Errno.EINVAL, Root());
        // A path handed to one system call is at most PATH_MAX bytes with its NUL (getname
        // gives ENAMETOOLONG): the same limit as a call on a mount. The engine's own walks
        // below a node (RemoveTree) go by node, not by path, and have no such limit.
        if (path.Length >= PathMax / 4 && FileNames.Encode(path).Length >= PathMax)
            return Fail(out node, out errno, Errno.ENAMETOOLONG, Root());
        var pending = new List<string>();
        PushComponents(pending, path);
        // A trailing slash asks for a directory, following a final symlink (path_resolution(7)).
        bool mustBeDir = path.Length > 1 && path[^1] == '/';
        if (mustBeDir)
            followFinal = true;

        var cur = start is not null && (path.Length == 0 || path[0] != '/') ? start : Root();
        long generation = _dirCache?.Generation ?? 0;
        bool fresh = cur != start;  // a node read from disk by this call (not cached, not a parent link)
        int links = 0;
        while (pending.Count > 0)
        {
            var c = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (!cur.IsDirectory)
                return Fail(out node, out errno, Errno.ENOTDIR, cur);
            if (c == ".")
                continue;
            if (c == "..")
            {
                cur = cur.Parent ?? cur;
                fresh = false;
                continue;
            }
            // ovl_lookup refuses a longer name before looking in any layer, present or not.
            if (c.Length * 3 > NameMax && FileNames.Encode(c).Length > NameMax)
                return Fail(out node, out errno, Errno.ENAMETOOLONG, cur);
            bool final = pending.Count == 0;
            var child = CachedChild(cur, c);
            bool cached = child is not null;
            child ??= LookupChild(cur, c);
            if (child is null)
                return Fail(out node, out errno, Errno.ENOENT, cur);
            if (!cached)
                _dirCache?.Add(child, generation);
            if (child.Stat.IsSymlink && (!final || followFinal))
            {
                if (++links > MaxSymlinks)
                    return Fail(out node, out errno, Errno.ELOOP, cur);
                var target = child.Container!.ReadLink(child.Name);
                if (target.Length == 0)
                    return Fail(out node, out errno, Errno.ENOENT, cur);
                if (target[0] == '/')
                {
                    cur = RootOf(cur);
                    fresh = false;
                }
                PushComponents(pending, target);
                continue;
            }
            cur = child;
            fresh = !cached;
        }
        // What the caller gets carries a stat read now, as the kernel's getattr would.
        if (!fresh && _dirCache is not null)
            cur = Refreshed(cur);
        if (mustBeDir && !cur.IsDirectory)
            return Fail(out node, out errno, Errno.ENOTDIR, cur);
        node = cur;
        errno = 0;
        return true;
    }

    /// <summary>A directory below <paramref name="parent"/> kept by the cache, or null. A kept
    /// directory whose upper copy changed since is not trusted, and the whole cache goes.</summary>
    UnionNode? CachedChild(UnionNode parent, string name)
    {
        if (_dirCache is null || !_dirCache.TryGet(parent.ChildPath(name), out var hit))
            return null;
        if (UpperUnchanged(parent, hit))
            return hit;
        // Its descendants were resolved through the old state too: forget everything.
        _dirCache.Clear();
        return null;
    }

    /// <summary>
    /// One statx on the parent's held upper directory tells whether a kept directory's layer
    /// set still holds: the upper copy it had is the same directory (same inode), or it had
    /// none and the name is still free in upper. A kernel mount or a second drive over the same
    /// upper changes only that layer (lowers are read-only to every overlay), by copy-up,
    /// rmdir, rename or an opaque re-creation; new names inside a kept directory need no check,
    /// as the last component is always looked up afresh. The parent was checked the same way
    /// one step before (the root's upper is held from open), so the chain holds from the root.
    /// The lower copies need no check at all: they are held open, so a lower directory swapped
    /// for a link to the host is never followed (the kernel holds them the same way).
    /// </summary>
    static bool UpperUnchanged(UnionNode parent, UnionNode kept)
    {
        var top = parent.Dirs![0];
        if (!top.Layer.IsUpper)
            return !kept.Layer.IsUpper;     // no upper parent, so no upper child either
        bool now = top.Dir.TryStat(kept.Name, out var st);
        return kept.Layer.IsUpper
            ? now && st.IsDirectory && st.Inode == kept.Stat.Inode
            : !now;
    }

    /// <summary>A cached directory with its stat read again, through its held descriptor.</summary>
    static UnionNode Refreshed(UnionNode n) =>
        new(n.Parent, n.Path, n.Name, n.Dirs![0].Dir.StatSelf(), n.Layer, n.Container, n.Dirs, n.Opaque);

    static bool Fail(out UnionNode node, out Errno errno, Errno e, UnionNode at)
    {
        node = at;      // how far the walk got: callers creating a name use it as the parent
        errno = e;
        return false;
    }

    static UnionNode RootOf(UnionNode n)
    {
        while (n.Parent is not null)
            n = n.Parent;
        return n;
    }

    /// <summary>Pushes the components of a path so that the first one is popped first.</summary>
    static void PushComponents(List<string> pending, string path)
    {
        int end = path.Length;
        while (end > 0)
        {
            int slash = path.LastIndexOf('/', end - 1);
            int start = slash + 1;
            if (end > start)
                pending.Add(path.Substring(start, end - start));
            end = slash < 0 ? 0 : slash;
        }
    }

    internal UnionNode Resolve(string path, bool followFinal, string operation, UnionNode? start = null)
    {
        if (!TryResolve(path, followFinal, out var node, out var errno, start))
            throw Error(errno, path, operation);
        return node;
    }
}
