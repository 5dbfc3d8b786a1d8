using System.Text.Json;
using OverlayPS.Bench.Data;
using OverlayPS.Bench.Infra;

namespace OverlayPS.Bench.Cases;

/// <summary>
/// Case 5: a synthetic overlay2 store with N layers. (a) Get-OverlayLayer, Get-OverlayImage and
/// Get-OverlayContainer on it, in a fresh pwsh, against `ls -R` of its layerdb. (b) A
/// container's changes (Get-OverlayChange) against `docker diff`, which needs a dockerd, and
/// dockerd refuses images deeper than 125 layers: this synthetic store has no daemon, so here
/// the reference is n/a; bench/scripts/Measure-DockerCases.ps1 measures both on one container
/// of a private dockerd in one run.
/// </summary>
public static class StoreCase
{
    public static void Run(BenchContext ctx)
    {
        var root = Path.Combine(ctx.MemRoot, "store", "docker");
        int changes = ctx.Size.Name == "full" ? 5_000 : 500;
        BenchContext.Log($"case 5: generating a {ctx.Size.StoreLayers}-layer store");
        var store = StoreGenerator.Generate(root, ctx.Size.StoreLayers, changes, ctx.TrustedPrefix);
        string size = $"{store.Layers} layers, {store.Images} images, {store.ContainerNames.Count} containers";
        string layerdb = Path.Combine(root, "image", "overlay2", "layerdb");

        List<JsonElement> lines;
        string listName = "5. Store: layers + images + containers listed";
        try
        {
            lines = ctx.Pwsh.Run("Measure-Store.ps1", new
            {
                manifest = ctx.Manifest, store = root, runs = ctx.Size.Runs, container = store.ContainerNames[0], layerdb,
            }, ctx.MemRoot);
        }
        catch (Exception e)
        {
            ctx.Table.Add(new Row(listName, size, "failed: " + ListingCases.OneLine(e.Message), "", "n/a", "< 1 s", "n/a"));
            return;
        }
        var runs = lines.Where(l => l.TryGetProperty("kind", out var k) && k.GetString() == "run").ToList();
        double lsR = Timing.Median(runs.Select(r => r.GetProperty("lsR").GetDouble()));
        var error = lines.FirstOrDefault(l => l.TryGetProperty("error", out _));
        if (error.ValueKind != JsonValueKind.Undefined || runs.Count == 0)
        {
            string why = error.ValueKind != JsonValueKind.Undefined ? error.GetProperty("error").GetString() ?? "" : "no runs";
            ctx.Table.Add(new Row(listName, size, ListingCases.OneLine(why),
                ResultTable.Fmt(lsR, "ms") + " (ls -R layerdb)", "n/a", "< 1 s", "n/a"));
        }
        else
        {
            double list = Timing.Median(runs.Select(r => r.GetProperty("list").GetDouble()));
            var last = runs.Last();
            string counts = $" ({last.GetProperty("layers").GetInt32()} layers, {last.GetProperty("images").GetInt32()} images, {last.GetProperty("containers").GetInt32()} containers)";
            ctx.Table.Add(new Row(listName, size, ResultTable.Fmt(list, "ms") + counts,
                ResultTable.Fmt(lsR, "ms") + " (ls -R layerdb)", ResultTable.Ratio(list, lsR), "< 1 s",
                list < 1000 ? "yes" : "NO"));
            if (runs.All(r => r.TryGetProperty("changes", out _)))
            {
                double ch = Timing.Median(runs.Select(r => r.GetProperty("changes").GetDouble()));
                ctx.Table.Add(new Row("5. Container changes (Get-OverlayChange vs docker diff)",
                    $"{last.GetProperty("changeCount").GetInt32()} changes over {ctx.Size.StoreLayers / Math.Max(1, store.Images)} layers",
                    ResultTable.Fmt(ch, "ms"), "n/a here (synthetic store); see bench/scripts/Measure-DockerCases.ps1", "n/a", ">= 5x faster", "n/a"));
            }
        }
        if (!ctx.Keep) Directory.Delete(Path.GetDirectoryName(root)!, true);
    }
}
