using System.Security.Cryptography;
using System.Text;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// A whole tree as comparable text, one line per path: kind, mode, owner, size, nlink, mtime,
/// rdev, symlink target, content hash and xattrs. Built either from a host directory (a kernel
/// mount, or an upper dir) or from the engine, so the two can be compared line by line.
/// </summary>
public static class TreeSnapshot
{
    /// <summary>Overlay xattrs the kernel writes as caches; compared neither way.</summary>
    static bool IsCacheXattr(string n) =>
        n.EndsWith("overlay.origin") || n.EndsWith("overlay.impure") || n.EndsWith("overlay.uuid");

    public static SortedDictionary<string, string> FromHost(string root, long recentSince = 0)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        result["/"] = Describe(Files.LStat(root), root, recentSince, isDirMerged: false);
        WalkHost(root, "", result, recentSince);
        return result;
    }

    static void WalkHost(string real, string union, SortedDictionary<string, string> result, long recentSince)
    {
        using var r = DirectoryReader.Open(real);
        while (r.Next(out var name, out _))
        {
            var up = union + "/" + name;
            var rp = real + "/" + name;
            if (!Files.TryLStat(rp, out var st))
            {
                result[up] = "(listed, lookup fails)";
                continue;
            }
            result[up] = Describe(st, rp, recentSince, false);
            if (st.IsDirectory)
                WalkHost(rp, up, result, recentSince);
        }
    }

    public static SortedDictionary<string, string> FromEngine(IUnionFileSystem fs, long recentSince = 0)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var root = fs.Stat("/");
        result["/"] = DescribeEngine(fs, root, recentSince);
        WalkEngine(fs, "/", result, recentSince);
        return result;
    }

    static void WalkEngine(IUnionFileSystem fs, string dir, SortedDictionary<string, string> result, long recentSince)
    {
        foreach (var e in fs.ReadDir(dir))
        {
            var found = fs.Lookup(e.Path);
            if (found is null)
            {
                result[e.Path] = "(listed, lookup fails)";
                continue;
            }
            Assert.Equal(found.Stat with { ATime = default }, e.Stat with { ATime = default });
            result[e.Path] = DescribeEngine(fs, found, recentSince);
            if (found.IsDirectory)
                WalkEngine(fs, e.Path, result, recentSince);
        }
    }

    static string DescribeEngine(IUnionFileSystem fs, UnionEntry e, long recentSince)
    {
        var sb = new StringBuilder();
        Head(sb, e.Stat, recentSince);
        if (e.Stat.IsSymlink)
            sb.Append(" -> ").Append(fs.ReadLink(e.Path));
        if (e.Stat.IsRegular)
        {
            using var s = fs.OpenRead(e.Path);
            sb.Append(" sha=").Append(Convert.ToHexString(SHA256.HashData(s))[..16]);
        }
        foreach (var n in fs.ListXattrs(e.Path).Order(StringComparer.Ordinal))
            sb.Append(' ').Append(n).Append('=').Append(Encoding.UTF8.GetString(fs.GetXattr(e.Path, n) ?? Array.Empty<byte>()));
        return sb.ToString();
    }

    static string Describe(FileStat st, string real, long recentSince, bool isDirMerged)
    {
        var sb = new StringBuilder();
        Head(sb, st, recentSince);
        if (st.IsSymlink)
            sb.Append(" -> ").Append(Files.ReadLink(real));
        if (st.IsRegular)
        {
            using var s = File.OpenRead(real);
            sb.Append(" sha=").Append(Convert.ToHexString(SHA256.HashData(s))[..16]);
        }
        foreach (var n in Xattrs.List(real).Where(n => !IsCacheXattr(n)).Order(StringComparer.Ordinal))
            sb.Append(' ').Append(n).Append('=').Append(Encoding.UTF8.GetString(Xattrs.Get(real, n) ?? Array.Empty<byte>()));
        return sb.ToString();
    }

    static void Head(StringBuilder sb, FileStat st, long recentSince)
    {
        sb.Append(st.Kind).Append(' ').Append(Convert.ToString(st.Mode, 8)).Append(' ')
          .Append(st.Uid).Append(':').Append(st.Gid);
        // Kernel whiteouts share one inode (nlink grows with each): not comparable.
        if (st.Kind != FileKind.CharDevice)
            sb.Append(" n=").Append(st.NLink);
        if (!st.IsDirectory)
            sb.Append(" size=").Append(st.Size);
        if (st.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            sb.Append(" rdev=").Append(st.RDev);
        // Times set by the test run itself differ between the two runs: only "recent" is
        // compared for them; older times (kept by copy-up, restored on parents) exactly.
        if (recentSince > 0 && st.MTime.Seconds >= recentSince)
            sb.Append(" mtime=recent");
        else
            sb.Append(" mtime=").Append(st.MTime.Seconds).Append('.').Append(st.MTime.Nanoseconds.ToString("D9"));
    }

    /// <summary>Asserts two snapshots equal, showing every differing line.</summary>
    public static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual, string what)
    {
        var diffs = new List<string>();
        foreach (var k in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            expected.TryGetValue(k, out var e);
            actual.TryGetValue(k, out var a);
            if (e != a)
                diffs.Add($"{k}\n  kernel: {e ?? "(absent)"}\n  engine: {a ?? "(absent)"}");
        }
        Assert.True(diffs.Count == 0, $"{what}: {diffs.Count} difference(s)\n" + string.Join("\n", diffs));
    }
}
