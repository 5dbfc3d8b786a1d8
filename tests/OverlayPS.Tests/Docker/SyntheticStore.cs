using OverlayPS.Core.Layers;
using System.Text;
using Xunit.Abstractions;
using OverlayPS.Core.Docker;

namespace OverlayPS.Tests.Docker;

/// <summary>
/// Writes a store with the overlay2 driver's exact layout and many layers (docker itself caps
/// an image at 125): image configs, layerdb entries, overlay2 dirs with link/lower files and
/// l/ links, one file per layer. For scale checks; needs no root.
/// </summary>
public static class SyntheticStore
{
    public static string Write(string root, int images, int depth)
    {
        var o2 = Path.Combine(root, "overlay2");
        var img = Path.Combine(root, "image", "overlay2");
        Directory.CreateDirectory(Path.Combine(o2, "l"));
        Directory.CreateDirectory(Path.Combine(img, "imagedb", "content", "sha256"));
        Directory.CreateDirectory(Path.Combine(img, "layerdb", "sha256"));
        Directory.CreateDirectory(Path.Combine(root, "containers"));
        var repos = new StringBuilder("{\"Repositories\":{");
        for (int i = 0; i < images; i++)
        {
            var diffIds = Enumerable.Range(0, depth).Select(d => Digests.Sha256($"layer {i}/{d}")).ToList();
            var chains = Digests.ChainIds(diffIds);
            var links = new List<string>();
            for (int d = 0; d < depth; d++)
            {
                var cacheId = Digests.Hex(Digests.Sha256($"cache {i}/{d}"));
                var link = Digests.Hex(Digests.Sha256($"link {i}/{d}"))[..26].ToUpperInvariant();
                var dir = Path.Combine(o2, cacheId);
                Directory.CreateDirectory(Path.Combine(dir, "diff"));
                File.WriteAllText(Path.Combine(dir, "diff", $"f{d}"), "x");
                File.WriteAllText(Path.Combine(dir, "link"), link);
                if (links.Count > 0)
                    File.WriteAllText(Path.Combine(dir, "lower"), string.Join(':', links.AsEnumerable().Reverse().Select(l => "l/" + l)));
                File.CreateSymbolicLink(Path.Combine(o2, "l", link), $"../{cacheId}/diff");
                links.Add(link);
                var ldb = Path.Combine(img, "layerdb", "sha256", Digests.Hex(chains[d]));
                Directory.CreateDirectory(ldb);
                File.WriteAllText(Path.Combine(ldb, "cache-id"), cacheId);
                File.WriteAllText(Path.Combine(ldb, "diff"), diffIds[d]);
                File.WriteAllText(Path.Combine(ldb, "size"), "1");
                if (d > 0) File.WriteAllText(Path.Combine(ldb, "parent"), chains[d - 1]);
            }
            var history = string.Join(',', Enumerable.Range(0, depth).Select(d => $"{{\"created_by\":\"step {d}\"}}"));
            var config = Encoding.UTF8.GetBytes(
                $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"history\":[{history}],\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{string.Join(',', diffIds.Select(x => $"\"{x}\""))}]}}}}");
            var id = Digests.Sha256(config);
            File.WriteAllBytes(Path.Combine(img, "imagedb", "content", "sha256", Digests.Hex(id)), config);
            repos.Append(i == 0 ? "" : ",").Append($"\"img{i}\":{{\"img{i}:latest\":\"{id}\"}}");
        }
        File.WriteAllText(Path.Combine(img, "repositories.json"), repos.Append("}}").ToString());
        return root;
    }
}

public sealed class LargeStoreTests
{
    readonly ITestOutputHelper _out;
    public LargeStoreTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void A_store_of_1000_layers_opens_whole_and_right()
    {
        using var tmp = new TempDir("ovlps-bigstore");
        SyntheticStore.Write(tmp.Path, images: 8, depth: 125);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var store = DockerStore.Open(tmp.Path);
        sw.Stop();
        var cold = sw.ElapsedMilliseconds;
        sw.Restart();
        DockerStore.Open(tmp.Path);
        _out.WriteLine($"opened 1000 layers in {cold} ms cold, {sw.ElapsedMilliseconds} ms warm (information, not asserted)");
        Assert.Equal(1000, store.Layers.Count);
        Assert.Equal(8, store.Images.Count);
        foreach (var img in store.Images)
        {
            Assert.Equal(Enumerable.Range(1, 125), img.Layers.Select(l => l!.Position));
            Assert.Equal(img.Layers.Select(l => l!.ChainId), img.ChainIds);
            var top = img.Layers[^1]!;
            Assert.Equal(img.Layers.Take(124).Reverse().Select(l => l!.CacheId), top.Lowers);
            Assert.Equal("step 124", top.CreatedBy);
        }
        Assert.Empty(StoreCheck.Run(store));
    }

    [Fact]
    public void An_image_of_125_layers_reads_whole_in_every_view()
    {
        using var tmp = new TempDir("ovlps-deepimage");
        SyntheticStore.Write(tmp.Path, images: 1, depth: 125);
        var store = DockerStore.Open(tmp.Path);
        var img = Assert.Single(store.Images);
        // The merged view: one file per layer, each from its own layer.
        var names = new OverlayPS.Core.Union.OverlayFs(store.ImageStack(img)).ReadDir("/").Select(e => e.Name).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 125).Select(d => $"f{d}").ToHashSet(), names);
        var step = Assert.Single(PathHistory.Of(new BaseFirst<DockerLayer>(img.Layers.OfType<DockerLayer>()), "/f77"));
        Assert.Equal((78, PathAction.Added), (step.Position, step.Action));
        Assert.Equal("step 77", step.CreatedBy);
        Assert.Equal(0, WastedSpace.Measure(img).WastedBytes);
        Assert.Equal(new[] { "A /f124" }, store.GetChanges(img.Layers[^1]!).Changes.Select(c => c.ToString()));
    }
}
