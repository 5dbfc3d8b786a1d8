using System.Text.Json;
using OverlayPS.Bench.Data;
using OverlayPS.Bench.Infra;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

namespace OverlayPS.Bench.Cases;

/// <summary>
/// Cases 1 and 2 on one tree (an upper over 10 lowers): the Overlay drive against the
/// FileSystem provider over the kernel mount, then the Core API against find(1).
/// Both sides read a warm tree: the kernel keeps its dentry and readdir caches across runs,
/// as it would for a user listing the same tree twice.
/// </summary>
public static class ListingCases
{
    public static void Run(BenchContext ctx)
    {
        var root = Path.Combine(ctx.MemRoot, "listing");
        BenchContext.Log($"cases 1-2: generating {ctx.Size.ListingEntries} entries over {ctx.Size.ListingLowers} lowers + upper");
        var tree = TreeGenerator.Generate(root, ctx.Size.ListingLowers, ctx.Size.ListingEntries, ctx.TrustedPrefix);
        var mnt = ctx.Track(new KernelOverlay(Path.Combine(root, "mnt"), tree.Lowers, tree.Upper,
            Path.Combine(root, "work-kernel")));
        long entries = CountFind(mnt.MountPoint);
        string size = $"{ResultTable.Entries(entries)}, {tree.Lowers.Count} lowers + upper";
        var engineWork = Path.Combine(root, "work-engine");
        Directory.CreateDirectory(engineWork);

        ProviderListing(ctx, tree, engineWork, mnt.MountPoint, entries, size);
        CoreListing(ctx, tree, engineWork, mnt.MountPoint, entries, size);
    }

    static long CountFind(string dir)
    {
        var r = Processes.Check("/bin/sh", new[] { "-c", $"find '{dir}' -mindepth 1 | wc -l" });
        return long.Parse(r.StdOut.Trim());
    }

    static void ProviderListing(BenchContext ctx, TreeGenerator.Tree tree, string work, string mount, long entries, string size)
    {
        const string name = "1. Get-ChildItem -Recurse: Overlay drive vs FileSystem on kernel mount";
        const string target = "<= 1.0";
        List<JsonElement> lines;
        try
        {
            lines = ctx.Pwsh.Run("Measure-Listing.ps1", new
            {
                manifest = ctx.Manifest, lowers = tree.Lowers, upper = tree.Upper, work, mount, runs = ctx.Size.Runs,
            }, ctx.MemRoot);
        }
        catch (Exception e)
        {
            ctx.Table.Add(new Row(name, size, "failed: " + OneLine(e.Message), "", "n/a", target, "n/a"));
            return;
        }
        var error = lines.FirstOrDefault(l => l.TryGetProperty("error", out _));
        if (error.ValueKind != JsonValueKind.Undefined)
        {
            ctx.Table.Add(new Row(name, size, OneLine(error.GetProperty("error").GetString() ?? ""), "", "n/a", target, "n/a"));
            return;
        }
        var count = lines.First(l => l.GetProperty("kind").GetString() == "count");
        long oursCount = count.GetProperty("ours").GetInt64(), refCount = count.GetProperty("reference").GetInt64();
        var runs = lines.Where(l => l.GetProperty("kind").GetString() == "run").ToList();
        double o = Timing.Median(runs.Select(r => r.GetProperty("ours").GetDouble()));
        double r = Timing.Median(runs.Select(r => r.GetProperty("reference").GetDouble()));
        string check = oursCount == refCount && refCount == entries ? "" : $" (COUNT MISMATCH: drive {oursCount}, FileSystem {refCount}, find {entries})";
        ctx.Table.Add(new Row(name, size, ResultTable.Fmt(o, "ms") + check, ResultTable.Fmt(r, "ms"),
            ResultTable.Ratio(o, r), target, check.Length > 0 ? "NO (wrong count)" : ResultTable.MetRatio(o, r, 1.0)));
    }

    static void CoreListing(BenchContext ctx, TreeGenerator.Tree tree, string work, string mount, long entries, string size)
    {
        const string name = "2. Core API walk (name, type, size, layer) vs find -printf";
        const string target = "<= 1.5";
        var fs = EngineFactory.Open(new LayerStack(tree.Lowers, tree.Upper, work));
        long seen = Walk(fs); // warm-up (JIT, page cache) and the count check
        var pair = Timing.Alternate(ctx.Size.Runs, () => Timing.Ms(() => Walk(fs)), () => FindMs(mount));
        string check = seen == entries ? "" : $" (COUNT MISMATCH: engine {seen}, find {entries})";
        ctx.Table.Add(new Row(name, size, ResultTable.Fmt(pair.Ours, "ms") + check, ResultTable.Fmt(pair.Reference, "ms"),
            ResultTable.Ratio(pair.Ours, pair.Reference), target,
            check.Length > 0 ? "NO (wrong count)" : ResultTable.MetRatio(pair.Ours, pair.Reference, 1.5)));
    }

    static double FindMs(string mount) => Processes.ShellMs($"find '{mount}' -printf '%y %s %p\\n'");

    /// <summary>Depth-first walk through the engine, printing what find prints (type, size,
    /// path) plus the layer, into a null stream: the same work find does minus the write(2).</summary>
    public static long Walk(IUnionFileSystem fs)
    {
        long n = 0;
        using var w = new StreamWriter(Stream.Null);
        var pending = new Stack<string>();
        pending.Push("/");
        while (pending.Count > 0)
        {
            foreach (var e in fs.ReadDir(pending.Pop()))
            {
                n++;
                w.Write(KindChar(e));
                w.Write(' ');
                w.Write(e.Stat.Size);
                w.Write(' ');
                w.Write(e.Path);
                w.Write(' ');
                w.Write(e.Layer.Index);
                w.Write('\n');
                if (e.IsDirectory) pending.Push(e.Path);
            }
        }
        return n;
    }

    static char KindChar(UnionEntry e) => e.Kind switch
    {
        Core.Posix.FileKind.Directory => 'd',
        Core.Posix.FileKind.Symlink => 'l',
        Core.Posix.FileKind.Regular => 'f',
        Core.Posix.FileKind.CharDevice => 'c',
        Core.Posix.FileKind.BlockDevice => 'b',
        Core.Posix.FileKind.Fifo => 'p',
        Core.Posix.FileKind.Socket => 's',
        _ => '?',
    };

    public static string OneLine(string s)
    {
        var l = s.Replace('\n', ' ').Replace('|', '/').Trim();
        return l.Length > 160 ? l[..160] + "..." : l;
    }
}
