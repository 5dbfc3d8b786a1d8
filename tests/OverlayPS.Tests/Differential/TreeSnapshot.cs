using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// Every entry of a tree as one line per path (see <see cref="EntryDescription"/>), to be
/// compared between the kernel and the engine: the merged view, or an upper dir. The one tree
/// snapshot of the tests (the differential harness and the named kernel comparisons).
/// </summary>
public static class TreeSnapshot
{
    /// <summary>Caches the kernel keeps in xattrs; the engine need not write them (DESIGN.md).</summary>
    static readonly HashSet<string> KernelCacheXattrs = new(StringComparer.Ordinal)
    {
        "trusted.overlay.origin", "trusted.overlay.impure", "trusted.overlay.uuid",
        "user.overlay.origin", "user.overlay.impure", "user.overlay.uuid",
    };

    /// <param name="upperDir">An upper dir read directly: kernel cache xattrs are dropped,
    /// whiteout nlinks ignored, and hard-link groups recorded.</param>
    /// <param name="stampedAfter">mtimes from this second on compare as "stamped now" only.</param>
    public static SortedDictionary<string, string> Take(ITreeView view, bool upperDir,
        long stampedAfter = EntryDescription.StampedAfter)
    {
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var stats = new Dictionary<string, FileStat>();
        Walk(view, "/", upperDir, lines, stats, stampedAfter);
        if (upperDir)
        {
            // Which names share an inode: hard links made in upper, or kept by copy-up.
            foreach (var group in stats.Where(s => s.Value.IsRegular && s.Value.NLink > 1)
                         .GroupBy(s => s.Value.Inode))
            {
                var first = group.Select(g => g.Key).Min(StringComparer.Ordinal)!;
                foreach (var member in group)
                    lines[member.Key] += " linked-with=" + first;
            }
        }
        return lines;
    }

    /// <summary>A directory on the host: a kernel mount, or a layer dir (read as an upper dir:
    /// kernel cache xattrs dropped, hard-link groups recorded). mtimes from
    /// <paramref name="recentSince"/> on (a test's start) compare as "stamped"; 0 compares all exactly.</summary>
    public static SortedDictionary<string, string> FromHost(string root, long recentSince = 0, bool upperDir = false) =>
        Take(new DirectoryView(root), upperDir, recentSince > 0 ? recentSince : long.MaxValue);

    /// <summary>The engine's merged view, as <see cref="FromHost"/> reads a kernel mount.</summary>
    public static SortedDictionary<string, string> FromEngine(IUnionFileSystem fs, long recentSince = 0) =>
        Take(new UnionView(fs), upperDir: false, recentSince > 0 ? recentSince : long.MaxValue);

    /// <summary>Asserts two snapshots equal, showing every differing line.</summary>
    public static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual, string what)
    {
        var diffs = Diff(what, expected, actual);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    static void Walk(ITreeView view, string path, bool upperDir,
        SortedDictionary<string, string> lines, Dictionary<string, FileStat> stats, long stampedAfter)
    {
        FileStat st;
        try
        {
            st = view.LStat(path);
        }
        catch (PosixException e)
        {
            lines[path] = "lstat failed " + e.Errno;
            return;
        }
        stats[path] = st;
        lines[path] = Describe(view, path, st, upperDir, stampedAfter);
        if (!st.IsDirectory)
            return;
        IReadOnlyList<string> names;
        try
        {
            names = view.ListNames(path);
        }
        catch (PosixException e)
        {
            lines[path] += " readdir failed " + e.Errno;
            return;
        }
        foreach (var name in names.OrderBy(n => n, StringComparer.Ordinal))
            Walk(view, path == "/" ? "/" + name : path + "/" + name, upperDir, lines, stats, stampedAfter);
    }

    public static string Describe(ITreeView view, string path, FileStat st, bool upperDir,
        long stampedAfter = EntryDescription.StampedAfter)
    {
        var line = EntryDescription.Metadata(st, upperDir, stampedAfter);
        try
        {
            if (st.IsRegular)
                line += " data=" + EntryDescription.Hash(view.ReadAll(path));
            else if (st.IsSymlink)
                line += " -> " + view.ReadLink(path);
        }
        catch (PosixException e)
        {
            line += " read failed " + e.Errno;
        }
        try
        {
            var xattrs = view.Xattrs(path).Where(x => !(upperDir && KernelCacheXattrs.Contains(x.Key)));
            var text = EntryDescription.Xattrs(xattrs);
            if (text.Length > 0)
                line += " xattrs[" + text + "]";
        }
        catch (PosixException e)
        {
            line += " listxattr failed " + e.Errno;
        }
        return line;
    }

    /// <summary>The differences, one line each, kernel side first; empty when equal.</summary>
    public static List<string> Diff(string what, SortedDictionary<string, string> kernel,
        SortedDictionary<string, string> other)
    {
        var diffs = new List<string>();
        foreach (var path in kernel.Keys.Union(other.Keys).OrderBy(p => p, StringComparer.Ordinal))
        {
            kernel.TryGetValue(path, out var k);
            other.TryGetValue(path, out var o);
            if (k != o)
                diffs.Add($"{what} {path}:\n      kernel: {k ?? "(absent)"}\n      engine: {o ?? "(absent)"}");
        }
        return diffs;
    }
}
