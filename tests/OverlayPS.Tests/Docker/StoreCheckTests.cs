using OverlayPS.Core.Docker;

namespace OverlayPS.Tests.Docker;

/// <summary>The store check on the healthy fixture and on a copy damaged in known ways.</summary>
[Collection(DockerCollection.Name)]
public sealed class StoreCheckTests
{
    readonly DockerFixture _fx;
    public StoreCheckTests(DockerFixture fx) => _fx = fx;

    [SkippableFact]
    public void The_fixture_store_is_healthy()
    {
        Assert.Empty(StoreCheck.Run(DockerStore.Open(_fx.Root)));
    }

    [SkippableFact]
    public void A_damaged_copy_is_reported_exactly()
    {
        var root = _fx.UnpackCopy("damaged");
        var before = DockerStore.Open(root);
        var app = Assert.Single(before.FindImages("app:1.0"));
        var l5 = app.Layers[4]!;
        var tenTop = Assert.Single(before.FindImages("tenlayers:latest")).Layers[^1]!;
        var childTop = Assert.Single(before.FindImages("child:latest")).Layers[^1]!;
        var o2 = Path.Combine(root, "overlay2");

        // 1. remove a link: its dir's link is missing, and every lower file naming it dangles.
        File.Delete(Path.Combine(o2, "l", l5.LinkId!));
        var namingL5 = before.Layers.Where(l => l.Lowers.Contains(l5.CacheId)).Select(l => l.CacheId).ToList();
        Assert.Equal(13, namingL5.Count);   // app 6-12, child and committed tops, 2 containers x (init, rw)
        // 2. remove a layer dir: layerdb's entry points nowhere, and so does its l/ link.
        Directory.Delete(tenTop.Path, recursive: true);
        // 3. remove a layerdb entry: its dir is referenced by nothing, its image lacks a layer.
        Directory.Delete(Path.Combine(root, "image/overlay2/layerdb/sha256", Digests.Hex(childTop.ChainId!)), recursive: true);
        // 4. add an orphan, as a failed pull leaves one (dir, link file, l/ link).
        var orphan = new string('a', 64);
        Directory.CreateDirectory(Path.Combine(o2, orphan, "diff"));
        File.WriteAllText(Path.Combine(o2, orphan, "link"), "ORPHANORPHANORPHANORPHAN00");
        File.CreateSymbolicLink(Path.Combine(o2, "l", "ORPHANORPHANORPHANORPHAN00"), $"../{orphan}/diff");
        // 5. an unfinished removal in layerdb.
        Directory.CreateDirectory(Path.Combine(root, "image/overlay2/layerdb/sha256", new string('b', 64) + "-123456-removing"));

        var found = StoreCheck.Run(DockerStore.Open(root))
            .Select(f => $"{f.Problem} {f.Subject}").OrderBy(x => x, StringComparer.Ordinal).ToList();
        var expected = new List<string>
        {
            $"MissingLink {l5.CacheId}",
            $"MissingLayerDir {tenTop.ChainId}",
            $"BrokenLink {tenTop.LinkId}",
            $"UnreferencedDir {childTop.CacheId}",
            $"MissingImageLayer {Assert.Single(before.FindImages("child:latest")).Id}",
            $"UnreferencedDir {orphan}",
            $"UnfinishedRemoval sha256:{new string('b', 64)}",
        };
        expected.AddRange(namingL5.Select(id => $"DanglingLower {id}"));
        Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), found);
    }
}
