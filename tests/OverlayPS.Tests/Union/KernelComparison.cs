using OverlayPS.Tests.Differential;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Union;

/// <summary>
/// Runs one script of operations twice on identical fresh layers: through a kernel overlay
/// mount and through the engine. The errno of every step, the merged tree and the upper dir
/// must come out the same (kernel cache xattrs origin/impure/uuid and whiteout link counts
/// aside; times the run itself set compare as "recent"), and the engine's dirs mounted by the
/// kernel afterwards must show the engine's merged tree.
/// </summary>
public static class KernelComparison
{
    public delegate void Script(UnionOps ops, Action<string, Errno> record);

    public static void Check(Action<Layers> build, Script script, bool withUpper = true, bool userXattr = false)
    {
        RootOnly.Require();
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;

        using var lk = new Layers(userXattr);
        build(lk);
        Age(lk);
        var kernelLog = new List<string>();
        SortedDictionary<string, string> kernelTree;
        using (var k = lk.Kernel(withUpper))
        {
            script(new KernelOps(k.MountPoint), (what, e) => kernelLog.Add($"{what}: {e}"));
            kernelTree = TreeSnapshot.FromHost(k.MountPoint, since);
        }

        using var le = new Layers(userXattr);
        build(le);
        Age(le);
        var engineLog = new List<string>();
        var fs = le.Engine(withUpper);
        script(new EngineOps(fs), (what, e) => engineLog.Add($"{what}: {e}"));
        var engineTree = TreeSnapshot.FromEngine(fs, since);

        Assert.Equal(string.Join("\n", kernelLog), string.Join("\n", engineLog));
        TreeSnapshot.AssertSame(kernelTree, engineTree, "merged tree");
        if (withUpper)
            TreeSnapshot.AssertSame(TreeSnapshot.FromHost(lk.U.Root, since, upperDir: true), TreeSnapshot.FromHost(le.U.Root, since, upperDir: true), "upper dir");

        // The promise itself: the dirs the engine wrote, mounted by the kernel afterwards,
        // show the tree the engine showed.
        using (var after = le.Kernel(withUpper))
            TreeSnapshot.AssertSame(engineTree, TreeSnapshot.FromHost(after.MountPoint, since), "engine's dirs mounted by the kernel");
    }

    /// <summary>Gives every entry of every layer one old, exact time, so a time the operation
    /// kept (copy-up) or restored (parents) shows as that time and a time it set as "recent".</summary>
    public static void Age(Layers l)
    {
        foreach (var root in new[] { l.U.Root, l.L1.Root, l.L2.Root, l.L3.Root })
            AgeTree(root);
    }

    static void AgeTree(string path)
    {
        var st = Files.LStat(path);
        if (st.IsDirectory)
        {
            foreach (var e in Directory.EnumerateFileSystemEntries(path))
                AgeTree(e);
        }
        var t = new PosixTime(1_000_000_000, 123_456_789);
        Files.LUTimes(path, t, t);
    }
}
