using System.Text.Json;
using OverlayPS.Bench.Data;
using OverlayPS.Bench.Infra;

namespace OverlayPS.Bench.Cases;

/// <summary>
/// Case 6: `Get-ChildItem -Recurse | Measure-Object` over a big merged tree in a fresh pwsh:
/// the peak RSS (VmHWM) while listing, over the process's idle RSS once the module is loaded
/// and the drive is open. One pwsh per side, so each peak is its own. The FileSystem provider
/// over the kernel mount of the same tree is shown for scale.
/// </summary>
public static class MemoryCase
{
    public static void Run(BenchContext ctx)
    {
        string name = "6. Peak memory of pwsh listing the tree (VmHWM - idle RSS)";
        const string target = "<= +100 MB";
        var root = Path.Combine(ctx.MemRoot, "memory");
        BenchContext.Log($"case 6: generating {ctx.Size.MemoryEntries} entries");
        var tree = TreeGenerator.Generate(root, ctx.Size.ListingLowers, ctx.Size.MemoryEntries, ctx.TrustedPrefix, seed: 13);
        var mnt = ctx.Track(new KernelOverlay(Path.Combine(root, "mnt"), tree.Lowers, tree.Upper, Path.Combine(root, "work-kernel")));
        var work = Path.Combine(root, "work-engine");
        Directory.CreateDirectory(work);
        long entries = long.Parse(Processes.Check("/bin/sh", new[] { "-c", $"find '{mnt.MountPoint}' -mindepth 1 | wc -l" }).StdOut.Trim());
        string size = ResultTable.Entries(entries);

        JsonElement Side(string side) => ctx.Pwsh.Run("Measure-ListingMemory.ps1", new
        {
            manifest = ctx.Manifest, side, lowers = tree.Lowers, upper = tree.Upper, work, mount = mnt.MountPoint,
        }, ctx.MemRoot).Last();

        JsonElement fsSide = Side("filesystem");
        JsonElement ovSide;
        try { ovSide = Side("overlay"); }
        catch (Exception e) { ovSide = JsonDocument.Parse(JsonSerializer.Serialize(new { error = e.Message })).RootElement; }

        string Show(JsonElement j, out double growthMb, out long count)
        {
            growthMb = double.NaN; count = -1;
            if (j.TryGetProperty("error", out var err))
                return ListingCases.OneLine(err.GetString() ?? "error");
            growthMb = (j.GetProperty("peakKb").GetInt64() - j.GetProperty("idleKb").GetInt64()) / 1024.0;
            count = j.GetProperty("count").GetInt64();
            return $"+{ResultTable.Fmt(growthMb, "MB")} (idle {j.GetProperty("idleKb").GetInt64() / 1024} MB, {ResultTable.Fmt(j.GetProperty("ms").GetDouble() / 1000, "s")})";
        }
        string ours = Show(ovSide, out var oursMb, out var oursCount);
        string reference = Show(fsSide, out var refMb, out var refCount) + " FileSystem on kernel mount";
        string met = double.IsNaN(oursMb) ? "n/a" : oursCount != entries ? $"NO (listed {oursCount} of {entries})" : oursMb <= 100 ? "yes" : "NO";
        if (refCount != entries && refCount >= 0) reference += $" (listed {refCount} of {entries})";
        ctx.Table.Add(new Row(name, size, ours, reference, ResultTable.Ratio(oursMb, refMb), target, met));
        if (ovSide.TryGetProperty("fdPeak", out var fdPeak))
        {
            // Held directory descriptors: the cache keeps at most its budget; directories let go
            // are closed by the runtime, which the engine makes collect once 8,192 are open
            // (DescriptorHandle), so the count is bounded by that, never by the tree.
            long peak = fdPeak.GetInt64(), idle = ovSide.GetProperty("fdIdle").GetInt64();
            const int bound = 8192 + 2048;
            ctx.Table.Add(new Row("6. Peak directory descriptors open while listing", size,
                $"{peak + idle} ({idle} before the listing)", "0 (FileSystem holds none across calls)", "n/a",
                $"bounded: <= {bound}", peak + idle <= bound ? "yes" : "NO"));
        }
        if (!ctx.Keep)
        {
            mnt.Unmount();
            Directory.Delete(root, true);
        }
    }
}
