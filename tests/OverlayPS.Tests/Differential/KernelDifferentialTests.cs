using Xunit.Abstractions;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// The kernel differential harness (issue 3's proof). Settings, all optional:
///   OVERLAYPS_DIFF_SEQUENCES  how many seeded sequences (default 200; thousands for a long run)
///   OVERLAYPS_DIFF_FIRST_SEED first seed of the range (default 1)
///   OVERLAYPS_DIFF_SEED       run just this seed (replay), shrinking it if it diverges
///   OVERLAYPS_DIFF_OPS        with a seed: only these op indices ("3,7,9" or "none"), as a report prints
///   OVERLAYPS_DIFF_MODE       EngineReads | EngineFull: run only that test (for a replay)
///   OVERLAYPS_DIFF_REPORT     a file to append divergence reports to
///   OVERLAYPS_DIFF_SHRINK=0   report diverging seeds as they are, unshrunk
///   OVERLAYPS_DIFF_MAX_REPORTS how many diverging seeds to shrink and report (default 3)
/// </summary>
public class KernelDifferentialTests
{
    /// <summary>Shrink and report at most this many diverging seeds (each costs up to a few
    /// hundred runs); OVERLAYPS_DIFF_MAX_REPORTS changes it.</summary>
    static int MaxReportedSeeds =>
        int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_MAX_REPORTS"), out var n) ? n : 3;

    readonly ITestOutputHelper _out;

    public KernelDifferentialTests(ITestOutputHelper output) => _out = output;

    /// <summary>Reads only, over the seed's stack as generated: lookup, merged listing,
    /// content, links, xattrs, and the whole merged tree at the end.</summary>
    [SkippableFact]
    public void Engine_reads_match_kernel_on_random_stacks() => RunMode(HarnessMode.EngineReads);

    /// <summary>Every op of the contract, then the merged tree and the upper dir.</summary>
    [SkippableFact]
    public void Engine_writes_match_kernel_on_random_sequences() => RunMode(HarnessMode.EngineFull);

    /// <summary>
    /// Seeds that once diverged (each names its entry in the team's divergence list), run on
    /// every test run: the default range does not hold them all, and a fixed divergence must stay
    /// fixed. Add a seed here whenever a long run finds a new kind of divergence.
    /// </summary>
    public static readonly (int Seed, HarnessMode Mode, string Why)[] OnceDiverged =
    {
        (136, HarnessMode.EngineReads, "D1 xattr whiteout in a single-layer dir"),
        (2253, HarnessMode.EngineReads, "D11 xattr whiteout in the last layer of a merged dir is listed"),
        (1, HarnessMode.EngineFull, "D1b rmdir of a dir holding only an xattr whiteout"),
        (329, HarnessMode.EngineFull, "D2 setgid dir: new entries get its gid"),
        (140, HarnessMode.EngineFull, "D3 removexattr user.* on a symlink is EPERM"),
        (114, HarnessMode.EngineFull, "D4 setxattr on a symlink fails before copy-up"),
        (49, HarnessMode.EngineFull, "D6 RemoveTree on a read-only stack resolves first"),
        (24, HarnessMode.EngineFull, "D7 whiteouts in a setgid dir are 0:0"),
        (91, HarnessMode.EngineFull, "D8 rmdir of an upper-only dir holding a whiteout"),
        (543, HarnessMode.EngineFull, "D9 O_CREAT|O_EXCL on a symlink is EEXIST"),
        (514, HarnessMode.EngineFull, "D10 link of a dir on a read-only stack is EROFS"),
        (4414, HarnessMode.EngineFull, "D12 a dir moved into a merged dir is marked opaque first"),
        (123, HarnessMode.EngineFull, "D13 removexattr of an empty-valued xattr succeeds"),
        (2, HarnessMode.EngineReads, "D14 an empty-valued xattr reads as empty, not absent"),
        (552, HarnessMode.EngineFull, "D15 a hard link into a setgid dir keeps the inode's group"),
    };

    [SkippableFact]
    public void Engine_matches_kernel_on_seeds_that_once_diverged()
    {
        RootOnly.Require("the kernel differential harness");
        var failures = new List<string>();
        foreach (var (seed, mode, why) in OnceDiverged)
        {
            var outcome = DifferentialRun.Run(seed, mode);
            if (!outcome.Diverged)
                continue;
            var text = $"[{why}] " + SequenceShrinker.Shrink(outcome).Report();
            _out.WriteLine(text);
            failures.Add(text);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {OnceDiverged.Length} once-diverging seeds still diverge:\n\n" + string.Join("\n\n", failures));
    }

    void RunMode(HarnessMode mode)
    {
        RootOnly.Require("the kernel differential harness");
        // OVERLAYPS_DIFF_MODE narrows a replay to one of the two tests.
        if (Enum.TryParse<HarnessMode>(Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_MODE"), out var only) && only != mode)
            return;
        var seeds = Seeds(defaultCount: 200);
        var keep = Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_OPS") is { Length: > 0 } ops && seeds.Count == 1
            ? ops == "none" ? new List<int>() : ops.Split(',').Select(int.Parse).ToList()
            : null;
        var (diverged, reports) = RunSeeds(seeds, mode, keep);
        Assert.True(diverged == 0,
            $"{diverged} of {seeds.Count} seed(s) diverged from the kernel ({mode}); the first, shrunk:\n\n" + string.Join("\n\n", reports));
    }

    /// <summary>
    /// The harness checked against itself: two kernel mounts over identical copies must agree
    /// on every op, merged tree and upper dir. A divergence here is a harness bug (something
    /// compared that the kernel does not keep deterministic), not an engine bug.
    /// </summary>
    [SkippableFact]
    public void Two_kernel_mounts_of_identical_copies_never_diverge()
    {
        RootOnly.Require("the kernel differential harness");
        // A long run (OVERLAYPS_DIFF_SEQUENCES) checks the harness at the same scale.
        int count = int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_SEQUENCES"), out var n) ? n : 20;
        var (diverged, reports) = RunSeeds(Enumerable.Range(100_000, count).ToList(), HarnessMode.KernelVsKernel, null);
        Assert.True(diverged == 0, string.Join("\n\n", reports));
    }

    /// <summary>The comparers can fail: a difference planted in one copy is reported, in the
    /// merged tree and in the upper dir.</summary>
    [SkippableFact]
    public void A_difference_planted_in_one_copy_is_reported()
    {
        RootOnly.Require("the kernel differential harness");
        var spec = StackGenerator.Generate(7);
        spec.Upper ??= new LayerSpec();
        using var tmp = new TempDir("ovlps-diff");
        var a = StackMaterializer.Write(spec, tmp.Sub("a"));
        var b = StackMaterializer.Write(spec, tmp.Sub("b"));
        File.WriteAllText(Path.Combine(b.Upper!, "planted"), "x");
        File.AppendAllText(Path.Combine(b.Lowers[0], "planted2"), "y");

        using var ka = new KernelUnion(a, Path.Combine(tmp.Path, "a", "mnt"));
        using var kb = new KernelUnion(b, Path.Combine(tmp.Path, "b", "mnt"));
        var readDir = new Op(OpKind.ReadDir, "/");
        Assert.NotEqual(OpExecution.Run(ka, readDir), OpExecution.Run(kb, readDir));
        var merged = TreeSnapshot.Diff("merged", TreeSnapshot.Take(ka.View, false), TreeSnapshot.Take(kb.View, false));
        Assert.Contains(merged, d => d.StartsWith("merged /planted:"));
        Assert.Contains(merged, d => d.StartsWith("merged /planted2:"));
        var upper = TreeSnapshot.Diff("upper",
            TreeSnapshot.Take(new DirectoryView(ka.Finish()!), true), TreeSnapshot.Take(new DirectoryView(kb.Finish()!), true));
        Assert.Equal(new[] { "upper /" , "upper /planted" }, upper.Select(d => d[..d.IndexOf(':')]).ToArray());
    }

    List<int> Seeds(int defaultCount)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_SEED"), out var one))
            return new List<int> { one };
        int count = int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_SEQUENCES"), out var n) ? n : defaultCount;
        int first = int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_FIRST_SEED"), out var f) ? f : 1;
        return Enumerable.Range(first, count).ToList();
    }

    (int Diverged, List<string> Reports) RunSeeds(List<int> seeds, HarnessMode mode, List<int>? keep)
    {
        var reports = new List<string>();
        var reportFile = Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_REPORT");
        int diverged = 0;
        var coverage = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var seed in seeds)
        {
            SequenceOutcome outcome;
            try
            {
                outcome = DifferentialRun.Run(seed, mode, keep);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Say which seed before anything else: a crash is a divergence too.
                diverged++;
                var text = $"seed {seed}, mode {mode}: the run threw {e}";
                _out.WriteLine(text);
                reports.Add(text);
                continue;
            }
            foreach (var (kind, result) in outcome.KernelResults)
            {
                var key = $"{kind,-12} {result}";
                coverage[key] = coverage.GetValueOrDefault(key) + 1;
            }
            if (!outcome.Diverged)
                continue;
            diverged++;
            // One line per diverging seed, so a long run shows how many distinct problems there are.
            _out.WriteLine($"DIVERGED seed {seed}: {outcome.Divergences[0].Split('\n')[0]}");
            if (reports.Count < MaxReportedSeeds)
            {
                var small = Environment.GetEnvironmentVariable("OVERLAYPS_DIFF_SHRINK") == "0" ? outcome : SequenceShrinker.Shrink(outcome);
                var text = small.Report();
                reports.Add(text);
                _out.WriteLine(text);
                if (!string.IsNullOrEmpty(reportFile))
                    File.AppendAllText(reportFile, text + "\n");
            }
        }
        // What the kernel answered, per op kind: a harness whose ops all fail proves little.
        foreach (var (key, count) in coverage)
            _out.WriteLine($"  {key,-40} {count}");
        _out.WriteLine($"{seeds.Count} sequence(s) in mode {mode}, {diverged} diverged (first seed {seeds.FirstOrDefault()})");
        return (diverged, reports);
    }
}
