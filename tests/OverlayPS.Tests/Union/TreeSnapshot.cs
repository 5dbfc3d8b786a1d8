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

    public static SortedDictionary<string, string> FromHost(string root, bool withMTime = true)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        result["/"] = Describe(Files.LStat(root), root, withMTime, isDirMerged: false);
        WalkHost(root, "", result, withMTime);
        return result;
    }

    static void WalkHost(string real, string union, SortedDictionary<string, string> result, bool withMTime)
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
            result[up] = Describe(st, rp, withMTime, false);
            if (st.IsDirectory)
                WalkHost(rp, up, result, withMTime);
        }
    }

    public static SortedDictionary<string, string> FromEngine(IUnionFileSystem fs, bool withMTime = true)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var root = fs.Stat("/");
        result["/"] = DescribeEngine(fs, root, withMTime);
        WalkEngine(fs, "/", result, withMTime);
        return result;
    }

    static void WalkEngine(IUnionFileSystem fs, string dir, SortedDictionary<string, string> result, bool withMTime)
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
            result[e.Path] = DescribeEngine(fs, found, withMTime);
            if (found.IsDirectory)
                WalkEngine(fs, e.Path, result, withMTime);
        }
    }

    static string DescribeEngine(IUnionFileSystem fs, UnionEntry e, bool withMTime)
    {
        var sb = new StringBuilder();
        Head(sb, e.Stat, withMTime);
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

    static string Describe(FileStat st, string real, bool withMTime, bool isDirMerged)
    {
        var sb = new StringBuilder();
        Head(sb, st, withMTime);
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

    static void Head(StringBuilder sb, FileStat st, bool withMTime)
    {
        sb.Append(st.Kind).Append(' ').Append(Convert.ToString(st.Mode, 8)).Append(' ')
          .Append(st.Uid).Append(':').Append(st.Gid).Append(" n=").Append(st.NLink);
        if (!st.IsDirectory)
            sb.Append(" size=").Append(st.Size);
        if (st.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            sb.Append(" rdev=").Append(st.RDev);
        if (withMTime)
            sb.Append(" mtime=").Append(st.MTime.tv_sec).Append('.').Append(st.MTime.tv_nsec.ToString("D9"));
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
