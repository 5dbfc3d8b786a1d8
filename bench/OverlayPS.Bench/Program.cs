using OverlayPS.Bench.Cases;
using OverlayPS.Bench.Infra;
using OverlayPS.Core.Posix;

namespace OverlayPS.Bench;

/// <summary>
/// The benchmark: builds its own data, runs each case against its reference in alternation,
/// prints one markdown table on stdout (progress goes to stderr).
///   OverlayPS.Bench [-Size quick|full] [-Case 1,2,...] [-RepoRoot dir]
/// Needs root (kernel overlay mounts, trusted.* xattrs, whiteout device nodes).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string size = "quick", repo = FindRepoRoot();
        HashSet<int>? only = null;
        bool keep = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i].ToLowerInvariant())
            {
                case "-size": size = args[++i]; break;
                case "-case": only = args[++i].Split(',').Select(int.Parse).ToHashSet(); break;
                case "-reporoot": repo = args[++i]; break;
                case "-keep": keep = true; break;   // leave data and mounts for a look (debugging)
                default:
                    Console.Error.WriteLine("usage: OverlayPS.Bench [-Size quick|full] [-Case 1,2,...] [-RepoRoot dir] [-Keep]");
                    return 2;
            }
        }
        if (!Files.IsRoot)
        {
            Console.Error.WriteLine("The bench mounts kernel overlays and makes whiteouts: run it as root.");
            return 2;
        }

        var tag = $"ovlbench-{Environment.ProcessId}";
        var ctx = new BenchContext
        {
            Size = BenchSize.Parse(size),
            RepoRoot = repo,
            MemRoot = Path.Combine("/dev/shm", tag),
            DiskRoot = Path.Combine("/var/tmp", tag),
            Table = new ResultTable(),
            Pwsh = new Pwsh(repo),
            Keep = keep,
        };
        Directory.CreateDirectory(ctx.MemRoot);
        Directory.CreateDirectory(ctx.DiskRoot);
        Console.CancelKeyPress += (_, _) => CleanUp(ctx);

        var cases = new (int Number, Action<BenchContext> Run)[]
        {
            (1, ListingCases.Run),      // cases 1 and 2 share one tree
            (3, LookupCase.Run),
            (4, CopyUpCase.Run),
            (5, StoreCase.Run),
            (6, MemoryCase.Run),
        };
        int failures = 0;
        try
        {
            foreach (var (n, run) in cases)
            {
                if (only is not null && !only.Contains(n) && !(n == 1 && only.Contains(2)))
                    continue;
                try { run(ctx); }
                catch (Exception e)
                {
                    failures++;
                    ctx.Table.Add(new Row($"{n}. (case failed)", ctx.Size.Name, ListingCases.OneLine(e.GetType().Name + ": " + e.Message), "", "n/a", "", "NO"));
                    Console.Error.WriteLine(e);
                }
            }
        }
        finally
        {
            if (keep) Console.Error.WriteLine($"-Keep: data left in {ctx.MemRoot} and {ctx.DiskRoot}");
            else CleanUp(ctx);
        }

        Console.WriteLine($"OverlayPS bench, size {ctx.Size.Name}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"Machine: {Machine.Describe(ctx)}");
        Console.WriteLine();
        Console.Write(ctx.Table.ToMarkdown());
        return failures == 0 ? 0 : 1;
    }

    static void CleanUp(BenchContext ctx)
    {
        ctx.CleanUp();
        foreach (var dir in new[] { ctx.MemRoot, ctx.DiskRoot })
        {
            // Never delete through a mount still standing: unmount leftovers first.
            foreach (var line in File.ReadLines("/proc/self/mountinfo").ToList())
            {
                var mp = line.Split(' ')[4];
                if (mp.StartsWith(dir + "/", StringComparison.Ordinal))
                    OverlayPS.Core.Posix.Mount.Unmount(mp, detach: true);
            }
            try { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
            catch (Exception e) { Console.Error.WriteLine($"cleanup {dir}: {e.Message}"); }
        }
    }

    static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "OverlayPS.psd1")))
                return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
