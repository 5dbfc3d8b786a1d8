using OverlayPS.Bench.Data;
using OverlayPS.Bench.Infra;
using OverlayPS.Core.Layers;

namespace OverlayPS.Bench.Cases;

/// <summary>
/// Case 4: the first write to a big lower file, which copies it up. Ours: OpenWrite through
/// the engine and write one byte; the kernel: open(O_WRONLY) through the mount (copy-up happens
/// in open) and write one byte. On the real disk (ext4 here: no reflink, so both sides copy
/// the bytes, the kernel with an in-kernel copy and an fsync of the copy before it is renamed
/// into place, ovl_copy_up_file with ovl_should_sync). Between runs the copy is removed and
/// everything synced, outside the timing. The bench's own peak RSS during our copy-up shows
/// whether the engine streams (it must not buffer the file).
/// </summary>
public static class CopyUpCase
{
    public static void Run(BenchContext ctx)
    {
        string name = "4. Copy-up on first write (engine vs kernel)";
        long bytes = ctx.Size.CopyUpBytes;
        string size = bytes >= 1L << 30 ? $"{bytes >> 30} GiB" : $"{bytes >> 20} MiB";
        var root = Path.Combine(ctx.DiskRoot, "copyup");
        var lower = Path.Combine(root, "lower");
        var upper = Path.Combine(root, "upper");
        Directory.CreateDirectory(lower);
        Directory.CreateDirectory(upper);
        long free = new DriveInfo(root).AvailableFreeSpace;
        if (free < bytes * 3)
        {
            ctx.Table.Add(new Row(name, size, $"skipped: {free >> 20} MiB free on {root}", "", "n/a", "<= 1.1", "n/a"));
            return;
        }
        BenchContext.Log($"case 4: writing a {size} lower file on {root}");
        BigFile.Write(Path.Combine(lower, "big.bin"), bytes);
        Sync();
        var mnt = ctx.Track(new KernelOverlay(Path.Combine(root, "mnt"), new[] { lower }, upper, Path.Combine(root, "work-kernel")));
        var engineWork = Path.Combine(root, "work-engine");
        Directory.CreateDirectory(engineWork);
        var copy = Path.Combine(upper, "big.bin");

        long peakGrowthKb = 0;
        double Ours()
        {
            var fs = EngineFactory.Open(new LayerStack(new[] { lower }, upper, engineWork));
            GC.Collect();
            ProcStatus.ResetPeak();
            long before = ProcStatus.Kb("VmRSS");
            double ms = Timing.Ms(() =>
            {
                using var s = fs.OpenWrite("/big.bin", FileMode.Open);
                s.WriteByte(42);
            });
            peakGrowthKb = Math.Max(peakGrowthKb, ProcStatus.Kb("VmHWM") - before);
            Check(copy, bytes);
            File.Delete(copy);
            Sync();
            return ms;
        }
        double Kernel()
        {
            mnt.Remount();
            double ms = Timing.Ms(() =>
            {
                using var s = new FileStream(Path.Combine(mnt.MountPoint, "big.bin"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
                s.WriteByte(42);
            });
            mnt.Unmount();
            Check(copy, bytes);
            File.Delete(copy);
            Sync();
            mnt.Mount();
            return ms;
        }

        string? notReady = null;
        try { Ours(); }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or IOException)
        {
            notReady = "engine copy-up failed: " + e.Message;
        }
        if (notReady is not null)
        {
            if (File.Exists(copy)) File.Delete(copy);
            double k = Timing.Median(Enumerable.Range(0, ctx.Size.Runs).Select(_ => Kernel()));
            ctx.Table.Add(new Row(name, size, ListingCases.OneLine(notReady), ResultTable.Fmt(k, "ms"), "n/a", "<= 1.1", "n/a"));
        }
        else
        {
            var pair = Timing.Alternate(ctx.Size.Runs, Ours, Kernel);
            ctx.Table.Add(new Row(name, size, ResultTable.Fmt(pair.Ours, "ms"), ResultTable.Fmt(pair.Reference, "ms"),
                ResultTable.Ratio(pair.Ours, pair.Reference), "<= 1.1", ResultTable.MetRatio(pair.Ours, pair.Reference, 1.1)));
            ctx.Table.Add(new Row("4. Copy-up: peak RSS growth of the process", size,
                ResultTable.Fmt(peakGrowthKb / 1024.0, "MB"), "n/a (in-kernel copy)", "n/a", "flat: <= 32 MB",
                peakGrowthKb <= 32 * 1024 ? "yes" : "NO"));
        }
        mnt.Unmount();
        Directory.Delete(root, true);
    }

    static void Check(string copy, long bytes)
    {
        var info = new FileInfo(copy);
        if (!info.Exists || info.Length != bytes)
            throw new InvalidOperationException($"copy-up left {(info.Exists ? info.Length + " bytes" : "nothing")} at {copy}, want {bytes}");
    }

    static void Sync() => Processes.Check("sync", Array.Empty<string>());
}
