using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;

namespace OverlayPS.Core.Docker;

/// <summary>
/// docker diff computed from an upper dir, without mounting. It yields the set moby's
/// naive differ (archive.ChangesDirs) finds by comparing the merged trees, but reads only the
/// upper dir and looks up below where the upper has something:
/// - a path only in the upper is A, and so is everything under an added dir;
/// - a path in both is C when type/mode, uid, gid or rdev differ, or (not for dirs) mtime or
///   size differ, or security.capability differs (statDifferent in moby changes.go);
/// - a whiteout over a visible lower path is D (just the path, nothing below it);
/// - in an opaque dir (and everything under it) lower names that the upper lacks are D. moby's
///   old upper-dir scan reported the opaque dir itself as D here, which is wrong;
/// - a dir holding any change is C even when its own metadata is unchanged.
/// In a live upper a file literally named <c>.wh.x</c> is a plain file (kernel whiteouts are
/// device nodes) but <c>docker commit</c> would turn it into a whiteout: it is reported as A/C
/// plus a warning.
/// </summary>
public static class ChangeScanner
{
    const string Capability = "security.capability";

    /// <param name="upperDir">The layer's diff dir.</param>
    /// <param name="lowerDirs">The diff dirs below it.</param>
    /// <param name="progress">Told how many upper entries were read and the current path, at
    /// the first entry then at most every <see cref="ProgressTicker.DefaultInterval"/>: a
    /// container that unpacked a big tree has hundreds of thousands.</param>
    /// <remarks>Each dir is resolved once and held, as a mount resolves its layer paths.</remarks>
    public static ChangeSet Scan(string upperDir, BaseFirst<string> lowerDirs, string layerName,
        CancellationToken cancel = default, Action<TransferProgress>? progress = null)
    {
        var lowers = new List<DirHandle?>();
        try
        {
            foreach (var d in lowerDirs)
                lowers.Add(DirHandle.OpenRoot(d));
            using var upper = DirHandle.OpenRoot(upperDir);
            return Scan(upper, new BaseFirst<DirHandle?>(lowers), layerName, cancel, progress);
        }
        finally
        {
            foreach (var d in lowers) d?.Dispose();
        }
    }

    /// <param name="upperDir">The layer's diff dir, held.</param>
    /// <param name="lowerDirs">The diff dirs below it, held (null: missing).</param>
    public static ChangeSet Scan(DirHandle upperDir, BaseFirst<DirHandle?> lowerDirs, string layerName,
        CancellationToken cancel = default, Action<TransferProgress>? progress = null)
    {
        using var lower = new LayerChain(lowerDirs);
        var scan = new ScanState(layerName, cancel, progress);
        ScanDir(upperDir, "/", lower, hideLower: LayerMarks.IsOpaqueInAnyNamespace(upperDir, ""), scan);
        return new ChangeSet(scan.Changes, scan.Warnings);
    }

    /// <summary>What one scan collects and reports, carried down the recursion.</summary>
    sealed class ScanState(string layer, CancellationToken cancel, Action<TransferProgress>? progress)
    {
        public readonly List<LayerChange> Changes = new();
        public readonly List<string> Warnings = new();
        public readonly string Layer = layer;
        public readonly CancellationToken Cancel = cancel;
        readonly ProgressTicker _ticker = new(ProgressTicker.DefaultInterval);
        long _entries;

        /// <summary>One upper entry read.</summary>
        public void Read(string path)
        {
            _entries++;
            if (progress is not null && _ticker.Due())
                progress(new TransferProgress(_entries, 0, path, _ticker.Elapsed));
        }
    }

    /// <returns>true when anything under the dir changed.</returns>
    static bool ScanDir(DirHandle dir, string path, LayerChain lower, bool hideLower, ScanState scan)
    {
        scan.Cancel.ThrowIfCancellationRequested();
        var changes = scan.Changes;
        var warnings = scan.Warnings;
        var layer = scan.Layer;
        int top = lower.Count - 1;
        int before = changes.Count;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Names(dir))
        {
            var p = UnionPath.Join(path, name);
            if (!dir.TryStat(name, out var st))
                continue;
            scan.Read(p);
            present.Add(name);
            var below = top >= 0 ? lower.Lookup(p, top) : new List<int>();
            if (LayerMarks.IsWhiteoutInAnyNamespace(dir, name, st))
            {
                if (below.Count > 0)
                    changes.Add(Deleted(lower, below, p, layer));
                continue;
            }
            if (name.StartsWith(LayerMarks.OciPrefix, StringComparison.Ordinal))
                warnings.Add($"'{p}' is a plain file named like an OCI whiteout in a live upper dir: docker commit or export would turn it into a deletion of '{UnionPath.Join(path, name[LayerMarks.OciPrefix.Length..])}'.");

            if (below.Count == 0)
            {
                changes.Add(new LayerChange(p, ChangeKind.Added, st.Kind, SizeOf(st), layer));
                if (st.IsDirectory)
                    WithSubdir(dir, name, sub => AddAll(sub, p, scan));
                continue;
            }
            var old = lower.ProbeStat(below[0], p).Stat;
            int at = changes.Count;
            bool self = StatDifferent(old, st) ||
                (!st.IsDirectory && !CapabilityEqual(lower.Xattr(below[0], p, Capability), dir.GetXattr(name, Capability)));
            if (self)
                changes.Add(new LayerChange(p, ChangeKind.Changed, st.Kind, SizeOf(st), layer));
            if (!st.IsDirectory)
                continue;
            bool childHides = hideLower || LayerMarks.IsOpaqueInAnyNamespace(dir, name);
            bool inner = WithSubdir(dir, name, sub => old.IsDirectory
                ? ScanDir(sub, p, lower, childHides, scan)
                : AddAll(sub, p, scan));   // a file became a dir
            if (inner && !self)
                changes.Insert(at, new LayerChange(p, ChangeKind.Changed, st.Kind, SizeOf(st), layer));
        }
        // Opaque: every lower name the upper does not have again is gone.
        if (hideLower && top >= 0)
            foreach (var name in lower.ListMerged(path, top).OrderBy(n => n, StringComparer.Ordinal))
                if (!present.Contains(name))
                {
                    var p = UnionPath.Join(path, name);
                    changes.Add(Deleted(lower, lower.Lookup(p, top), p, layer));
                }
        return changes.Count > before;
    }

    /// <summary>Everything under a dir the lower layers do not have: all A.</summary>
    static bool AddAll(DirHandle dir, string path, ScanState scan)
    {
        scan.Cancel.ThrowIfCancellationRequested();
        var changes = scan.Changes;
        int before = changes.Count;
        foreach (var name in Names(dir))
        {
            if (!dir.TryStat(name, out var st) || LayerMarks.IsWhiteoutInAnyNamespace(dir, name, st))
                continue;
            var p = UnionPath.Join(path, name);
            scan.Read(p);
            if (name.StartsWith(LayerMarks.OciPrefix, StringComparison.Ordinal))
                scan.Warnings.Add($"'{p}' is a plain file named like an OCI whiteout in a live upper dir: docker commit or export would turn it into a deletion.");
            changes.Add(new LayerChange(p, ChangeKind.Added, st.Kind, SizeOf(st), scan.Layer));
            if (st.IsDirectory)
                WithSubdir(dir, name, sub => AddAll(sub, p, scan));
        }
        return changes.Count > before;
    }

    /// <summary>The names of a held dir, sorted ordinally (docker diff's order).</summary>
    static List<string> Names(DirHandle dir)
    {
        var names = new List<string>();
        using (var reader = dir.Read())
            while (reader.Next(out var name, out _))
                names.Add(name);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Runs <paramref name="body"/> on a subdir opened by one O_NOFOLLOW component; a
    /// subdir removed or swapped for something else since its lstat (a live container) is skipped.</summary>
    static bool WithSubdir(DirHandle dir, string name, Func<DirHandle, bool> body)
    {
        if (!dir.TryOpenDir(name, out var sub, out _))
            return false;
        using (sub)
            return body(sub);
    }

    static LayerChange Deleted(LayerChain lower, List<int> below, string p, string layer)
    {
        var old = lower.ProbeStat(below[0], p).Stat;
        return new LayerChange(p, ChangeKind.Deleted, old.Kind, SizeOf(old), layer);
    }

    static long SizeOf(in FileStat st) => st.IsDirectory ? 0 : st.Size;

    /// <summary>moby pkg/archive changes_unix.go statDifferent, plus its sameFsTimeSpec rule
    /// (a zero nanosecond part on either side compares seconds only).</summary>
    internal static bool StatDifferent(in FileStat old, in FileStat now)
    {
        if (old.Kind != now.Kind || old.Mode != now.Mode || old.Uid != now.Uid || old.Gid != now.Gid || old.RDev != now.RDev)
            return true;
        if (now.IsDirectory)
            return false;
        bool sameTime = old.MTime.Seconds == now.MTime.Seconds &&
            (old.MTime.Nanoseconds == now.MTime.Nanoseconds || old.MTime.Nanoseconds == 0 || now.MTime.Nanoseconds == 0);
        return !sameTime || old.Size != now.Size;
    }

    static bool CapabilityEqual(byte[]? x, byte[]? y) =>
        x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);
}
