using System.Diagnostics;
using OverlayPS.Bench.Data;
using OverlayPS.Bench.Infra;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Bench.Cases;

/// <summary>
/// Case 3: looking up a file that only the bottom layer holds, through stacks of 1 to 500
/// lowers. The kernel side is a stat through the mount right after mounting (the overlay's
/// dentry cache empty, so it walks the layers as a first lookup does; the layers' own dentries
/// are warm on both sides). The stacks live on the real disk (ext4 here), which keeps negative
/// dentries; tmpfs drops them at once (always_delete_dentry), making every failed lookup an
/// allocation, which is not where overlay stores live. The growth per layer is set next to the cost of one failed lstat
/// in a layer directory: the floor for a lookup that asks each layer for one name.
/// </summary>
public static class LookupCase
{
    public static void Run(BenchContext ctx)
    {
        var perLayer = new List<(int depth, double ours, double kernel)>();
        double floor = double.NaN;
        foreach (int depth in ctx.Size.LookupDepths)
        {
            PeakDescriptors = 0;
            string name = "3. Lookup of a bottom-layer file (per lookup)";
            string size = $"{depth} lower{(depth == 1 ? "" : "s")} + upper, {ctx.Size.LookupFiles} names";
            BenchContext.Log($"case 3: {depth} lowers");
            var root = Path.Combine(ctx.DiskRoot, $"lookup{depth}");
            var s = LookupStackGenerator.Generate(root, depth, ctx.Size.LookupFiles);
            using var mnt = new KernelOverlay(s.Mount, s.Lowers, s.Upper, s.Work);
            var engineWork = Path.Combine(root, "we");
            Directory.CreateDirectory(engineWork);

            var pair = Timing.Alternate(ctx.Size.Runs,
                () => EngineUs(s, engineWork, ctx.Size.LookupFiles),
                () => KernelUs(mnt, ctx.Size.LookupFiles));
            double ours = pair.Ours, kernel = pair.Reference;
            perLayer.Add((depth, ours, kernel));
            floor = FailedLookupUs(s.Lowers[0] + LookupStackGenerator.Dir);
            ctx.Table.Add(new Row(name, size,
                ResultTable.Fmt(ours, "µs"),
                ResultTable.Fmt(kernel, "µs") + " (kernel stat, cold overlay dcache)",
                ResultTable.Ratio(ours, kernel), "report", "-"));
            // Every layer holds /, /a and /a/b: one descriptor per layer for each, cached.
            int bound = 3 * (depth + 1) + 2;
            ctx.Table.Add(new Row("3. Lookup: peak directory descriptors held", size,
                $"{PeakDescriptors}", "n/a (in-kernel)", "n/a",
                $"<= {bound}: each layer's /, /a, /a/b", PeakDescriptors <= bound ? "yes" : "NO"));
            mnt.Unmount();
            Directory.Delete(root, true);
        }

        // Growth with depth, next to one failed lstat (the per-layer floor).
        var (d0, o0, k0) = perLayer.First();
        var (d1, o1, k1) = perLayer.Last();
        if (d1 > d0)
        {
            double oursPer = (o1 - o0) / (d1 - d0) * 1000, kernelPer = (k1 - k0) / (d1 - d0) * 1000;
            ctx.Table.Add(new Row("3. Lookup: added cost per layer", $"{d0} -> {d1} lowers",
                ResultTable.Fmt(oursPer, "ns/layer"),
                ResultTable.Fmt(kernelPer, "ns/layer") + $" (kernel); one failed statx on a held dir: {ResultTable.Fmt(floor * 1000, "ns")}",
                ResultTable.Ratio(oursPer, kernelPer), "<= 2.0x kernel",
                oursPer <= kernelPer * 2 ? "yes" : "NO"));
        }
    }

    /// <summary>µs per lookup through a fresh engine (no state carried between runs).</summary>
    static double EngineUs(LookupStackGenerator.Stack s, string work, int files)
    {
        DirHandle.ResetPeak();
        int before = DirHandle.OpenCount;
        var fs = EngineFactory.Open(new LayerStack(s.Lowers, s.Upper, work));
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < files; i++)
        {
            if (fs.Lookup(LookupStackGenerator.Target(i)) is null)
                throw new InvalidOperationException($"engine did not find {LookupStackGenerator.Target(i)}");
        }
        double us = sw.Elapsed.TotalMilliseconds * 1000 / files;
        PeakDescriptors = Math.Max(PeakDescriptors, DirHandle.PeakOpenCount - before);
        (fs as IDisposable)?.Dispose();
        return us;
    }

    /// <summary>The most directory descriptors one engine held at once during a run.</summary>
    static int PeakDescriptors;

    /// <summary>µs per lstat through a freshly mounted overlay.</summary>
    static double KernelUs(KernelOverlay mnt, int files)
    {
        mnt.Remount();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < files; i++)
            Files.LStat(mnt.MountPoint + LookupStackGenerator.Target(i));
        return sw.Elapsed.TotalMilliseconds * 1000 / files;
    }

    /// <summary>One failed one-component lookup in a held layer directory: what the engine
    /// pays per layer, and the floor of its per-layer cost.</summary>
    static double FailedLookupUs(string dir)
    {
        const int n = 100_000;
        using var held = DirHandle.OpenRoot(dir);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
            held.TryStat("no-such-name", out _);
        return sw.Elapsed.TotalMilliseconds * 1000 / n;
    }
}
