using Mono.Unix.Native;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;

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

    public static ChangeSet Scan(DirHandle upperDir, IReadOnlyList<DirHandle?> lowerDirsBottomFirst, string layerName,
        CancellationToken cancel = default, Action<TransferProgress>? progress = null)
    {
        var walk = new Walk(lowerDirsBottomFirst.Reverse().ToList(), layerName, cancel, progress);
        walk.Dir(upperDir, "");
        var changes = walk.Changes.Where(c => !ContainerMounts.Contains(c.Path)).ToList();
        return new ChangeSet(changes, Array.Empty<string>());
    }

    sealed class Walk(List<DirHandle?> lowersTopFirst, string layer, CancellationToken cancel, Action<TransferProgress>? progress)
    {
        public readonly List<LayerChange> Changes = new();
        readonly HashSet<string> _changedDirs = new(StringComparer.Ordinal);
        readonly ProgressTicker _ticker = new(ProgressTicker.DefaultInterval);
        long _entries;

        /// <summary>filepath.Walk: names in byte order, each entry before what is under it.</summary>
        public void Dir(DirHandle dir, string rel)
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
                Entry(dir, name, path, st);
                if (st.IsDirectory && dir.TryOpenDir(name, out var sub, out _))
                    using (sub)
                        Dir(sub, path);
            }
        }

        void Entry(DirHandle dir, string name, string path, in FileStat st)
        {
            ChangeKind kind;
            FileStat shown = st;
            if (st.IsCharDevice00 || (st.IsDirectory && LayerMarkers.IsOpaque(dir, name) && OpaqueHidesLower(path)))
            {
                kind = ChangeKind.Deleted;
                if (st.IsCharDevice00 && FirstInLowers(path) is { } old)
                    shown = old;
            }
            else
            {
                kind = ChangeKind.Added;
                foreach (var lower in lowersTopFirst)
                {
                    if (lower is null)
                        continue;
                    if (WhiteoutAtOrAbove(lower, path))
                        break;
                    if (!TryStat(lower, path, out var below))
                        continue;
                    // A dir that only holds changes is not one itself (size, mode, mtime equal).
                    if (below.IsDirectory && st.IsDirectory && below.Size == st.Size && below.Mode == st.Mode
                        && SameMTime(below, st))
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
        bool OpaqueHidesLower(string path)
        {
            foreach (var lower in lowersTopFirst)
            {
                if (lower is null)
                    continue;
                if (TryStat(lower, path, out var below))
                    return !below.IsCharDevice00;
                for (var parent = Parent(path); parent != "/"; parent = Parent(parent))
                    if (TryStat(lower, parent, out var p) && p.IsCharDevice00)
                        return false;
            }
            return false;
        }

        /// <summary>overlayLowerContainsWhiteout, at the path and at each of its parents.</summary>
        static bool WhiteoutAtOrAbove(DirHandle lower, string path)
        {
            for (var p = path; p != "/"; p = Parent(p))
                if (TryStat(lower, p, out var st) && st.IsCharDevice00)
                    return true;
            return false;
        }

        FileStat? FirstInLowers(string path)
        {
            foreach (var lower in lowersTopFirst)
                if (lower is not null && TryStat(lower, path, out var st) && !st.IsCharDevice00)
                    return st;
            return null;
        }

        /// <summary>lstat beneath a lower layer's held dir, no symlink on the way.</summary>
        static bool TryStat(DirHandle lower, string path, out FileStat st)
        {
            try { return lower.TryStatBeneath(path[1..], out st); }
            catch (PosixException e) when (e.Errno is Errno.ELOOP or Errno.ENOTDIR or Errno.EXDEV)
            {
                st = default;
                return false;
            }
        }

        static string Parent(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash <= 0 ? "/" : path[..slash];
        }

        /// <summary>changes.go sameFsTime: equal, or equal seconds with either nanosecond part 0.</summary>
        static bool SameMTime(in FileStat a, in FileStat b) =>
            a.MTime.tv_sec == b.MTime.tv_sec && (a.MTime.tv_nsec == b.MTime.tv_nsec || a.MTime.tv_nsec == 0 || b.MTime.tv_nsec == 0);
    }
}
