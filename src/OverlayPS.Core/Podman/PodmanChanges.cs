using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;
using OverlayPS.Core.Union;

namespace OverlayPS.Core.Podman;

/// <summary>
/// <c>podman diff</c> from an upper dir: containers-storage's native overlay diff
/// (pkg/archive OverlayChanges, the walk of changes.go with overlayDeletedFile and
/// overlayLowerContainsWhiteout), then libpod's filter of the mount targets podman writes
/// into every container (libpod/diff.go containerMounts). Its rules differ from docker diff's
/// (<see cref="ChangeScanner"/>), and podman users compare against podman:
/// - a whiteout (char 0/0) is D; an opaque dir that exists in a lower layer is D (and what is
///   in it now is A), where docker reports C and the hidden lower names as D;
/// - any other upper entry is A, unless a lower layer (topmost first; a whiteout there at the
///   path or a parent stops the search) has the path: then C, except a dir whose size, mode
///   and mtime equal the lower's, which is skipped;
/// - an A or D adds its parent dirs as C when they were not listed yet.
/// Each lower layer is looked at on its own, as podman does (not the merged view), through
/// held descriptors with no symlink followed: where podman's os.Stat would follow a link in a
/// lower layer this reads the link itself (a path that exists only through a symlinked dir
/// reads as absent).
/// </summary>
public static class PodmanChanges
{
    /// <summary>libpod/diff.go: what podman mounts over a container's rootfs; never listed.</summary>
    static readonly HashSet<string> ContainerMounts = new(StringComparer.Ordinal)
    {
        "/dev", "/dev/shm", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab",
        "/proc", "/run", "/run/.containerenv", "/run/secrets", "/sys",
    };

    public static ChangeSet Scan(DirHandle upperDir, BaseFirst<DirHandle?> lowerDirs, string layerName,
        CancellationToken cancel = default, Action<TransferProgress>? progress = null)
    {
        var walk = new Walk(layerName, cancel, progress);
        var lowers = lowerDirs.ToTopmostFirst().Select(d => d is null ? LowerDir.Absent : new LowerDir(d, false)).ToArray();
        walk.Dir(upperDir, "", lowers);
        var changes = walk.Changes.Where(c => !ContainerMounts.Contains(c.Path)).ToList();
        return new ChangeSet(changes, Array.Empty<string>());
    }

    /// <summary>What one lower layer has at the upper dir being walked: the same dir (held),
    /// nothing, or a whiteout at it or a parent (then everything below reads as new: podman's
    /// overlayLowerContainsWhiteout).</summary>
    readonly record struct LowerDir(DirHandle? Dir, bool WhitedOut)
    {
        public static readonly LowerDir Absent = new(null, false);
    }

    sealed class Walk(string layer, CancellationToken cancel, Action<TransferProgress>? progress)
    {
        public readonly List<LayerChange> Changes = new();
        readonly HashSet<string> _changedDirs = new(StringComparer.Ordinal);
        readonly ProgressTicker _ticker = new(ProgressTicker.DefaultInterval);
        long _entries;

        /// <summary>filepath.Walk: names in byte order, each entry before what is under it.
        /// Each lower layer's same dir is opened once per upper dir and held, so an entry costs
        /// one lstat per lower layer that has its dir.</summary>
        public void Dir(DirHandle dir, string rel, LowerDir[] lowersTopFirst)
        {
            cancel.ThrowIfCancellationRequested();
            var names = new List<string>();
            using (var reader = dir.Read())
                while (reader.Next(out var name, out _))
                    names.Add(name);
            names.Sort(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (!dir.TryStat(name, out var st))
                    continue;       // removed meanwhile: a live container
                var path = rel + "/" + name;
                _entries++;
                if (progress is not null && _ticker.Due())
                    progress(new TransferProgress(_entries, 0, path, _ticker.Elapsed));
                var below = new FileStat?[lowersTopFirst.Length];
                for (int i = 0; i < lowersTopFirst.Length; i++)
                    if (lowersTopFirst[i].Dir is { } d && d.TryStat(name, out var b))
                        below[i] = b;
                Entry(dir, name, path, st, lowersTopFirst, below);
                if (st.IsDirectory && dir.TryOpenDir(name, out var sub, out _))
                {
                    var subLowers = Descend(lowersTopFirst, below, name);
                    try
                    {
                        using (sub)
                            Dir(sub, path, subLowers);
                    }
                    finally
                    {
                        foreach (var l in subLowers) l.Dir?.Dispose();
                    }
                }
            }
        }

        /// <summary>Each lower layer's view of a subdir: its own dir there, a whiteout, or nothing.
        /// A symlink or file in a lower layer is not followed: nothing is below it.</summary>
        static LowerDir[] Descend(LowerDir[] lowers, FileStat?[] below, string name)
        {
            var result = new LowerDir[lowers.Length];
            for (int i = 0; i < lowers.Length; i++)
            {
                if (lowers[i].WhitedOut || below[i] is { IsCharDevice00: true })
                    result[i] = new LowerDir(null, true);
                else if (below[i] is { IsDirectory: true } && lowers[i].Dir!.TryOpenDir(name, out var d, out _))
                    result[i] = new LowerDir(d, false);
                else
                    result[i] = LowerDir.Absent;
            }
            return result;
        }

        void Entry(DirHandle dir, string name, string path, in FileStat st, LowerDir[] lowers, FileStat?[] below)
        {
            ChangeKind kind;
            FileStat shown = st;
            if (st.IsCharDevice00 || (st.IsDirectory && LayerMarks.IsOpaqueInAnyNamespace(dir, name) && OpaqueHidesLower(lowers, below)))
            {
                kind = ChangeKind.Deleted;
                if (st.IsCharDevice00 && FirstInLowers(lowers, below) is { } old)
                    shown = old;
            }
            else
            {
                kind = ChangeKind.Added;
                for (int i = 0; i < lowers.Length; i++)
                {
                    if (lowers[i].WhitedOut || below[i] is { IsCharDevice00: true })
                        break;
                    if (below[i] is not { } b)
                        continue;
                    // A dir that only holds changes is not one itself (size, mode, mtime equal).
                    if (b.IsDirectory && st.IsDirectory && b.Size == st.Size && b.Mode == st.Mode && SameMTime(b, st))
                        return;
                    kind = ChangeKind.Changed;
                    break;
                }
            }
            if (st.IsDirectory)
                _changedDirs.Add(path);
            if (kind != ChangeKind.Changed)
            {
                var tail = new List<LayerChange>();
                for (var parent = Parent(path); parent != "/"; parent = Parent(parent))
                    if (_changedDirs.Add(parent))
                        tail.Insert(0, new LayerChange(parent, ChangeKind.Changed, FileKind.Directory, 0, layer));
                Changes.AddRange(tail);
            }
            Changes.Add(new LayerChange(path, kind, shown.Kind, shown.IsDirectory ? 0 : shown.Size, layer));
        }

        /// <summary>overlayDeletedFile: an opaque dir deletes what a lower layer had there,
        /// unless the first lower layer to say anything says it was whited out.</summary>
        static bool OpaqueHidesLower(LowerDir[] lowers, FileStat?[] below)
        {
            for (int i = 0; i < lowers.Length; i++)
            {
                if (below[i] is { } b)
                    return !b.IsCharDevice00;
                if (lowers[i].WhitedOut)
                    return false;
            }
            return false;
        }

        static FileStat? FirstInLowers(LowerDir[] lowers, FileStat?[] below)
        {
            for (int i = 0; i < lowers.Length; i++)
                if (!lowers[i].WhitedOut && below[i] is { IsCharDevice00: false } b)
                    return b;
            return null;
        }

        static string Parent(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash <= 0 ? "/" : path[..slash];
        }

        /// <summary>changes.go sameFsTime: equal, or equal seconds with either nanosecond part 0.</summary>
        static bool SameMTime(in FileStat a, in FileStat b) =>
            a.MTime.Seconds == b.MTime.Seconds && (a.MTime.Nanoseconds == b.MTime.Nanoseconds || a.MTime.Nanoseconds == 0 || b.MTime.Nanoseconds == 0);
    }
}
