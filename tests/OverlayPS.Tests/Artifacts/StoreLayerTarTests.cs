using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;
using OverlayPS.Tests.Docker;

namespace OverlayPS.Tests.Artifacts;

/// <summary>
/// Rebuilding store layers' tars from tar-split + diff dir on the real fixture store: every
/// layer gives its DiffID; damaged copies give named findings; hostile tar-splits are refused.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class StoreLayerTarTests
{
    readonly DockerFixture _fx;
    public StoreLayerTarTests(DockerFixture fx) => _fx = fx;

    [SkippableFact]
    public void Every_image_layer_of_the_fixture_rebuilds_to_its_DiffID()
    {
        var store = DockerStore.Open(_fx.Root);
        var layers = store.Layers.Where(l => l.Kind == LayerKind.Image).ToList();
        Assert.True(layers.Count >= 20, $"only {layers.Count} image layers");
        foreach (var l in layers)
        {
            using var sink = new MemoryStream();
            var v = StoreLayerTar.Write(store, l, sink);
            Assert.True(v.Verified, string.Join("\n", v.Findings));
            Assert.Equal(l.DiffId, v.Digest);
            Assert.Equal(l.DiffId, Digests.Sha256(sink.ToArray()));
            Assert.Equal(sink.Length, StoreLayerTar.SizeOf(store, l));
        }
        Assert.Empty(StoreLayerTar.VerifyAll(store));
    }

    [SkippableFact]
    public void Changed_removed_and_added_files_are_named_by_layer_and_path()
    {
        var root = _fx.UnpackCopy("tampered");
        var store = DockerStore.Open(root);
        var app = Assert.Single(store.FindImages("app:1.0"));
        var big = app.Layers[8]!;          // L8: /app/big.bin (1 MiB)
        var copied = app.Layers[2]!;       // L2: COPY ctx/ /app/
        var whiteout = app.Layers[4]!;     // L4: rm /opt/remove-me -> whiteout
        var opaque = app.Layers[5]!;       // L5: opaque /usr/share/doc/base

        // a byte changed, size kept
        var bigPath = Path.Combine(big.DiffPath, "app/big.bin");
        var bytes = File.ReadAllBytes(bigPath);
        bytes[123_456] ^= 0xff;
        File.WriteAllBytes(bigPath, bytes);
        // a file shortened, a file removed, a file added
        File.WriteAllText(Path.Combine(copied.DiffPath, "app/copied.txt"), "x");
        File.Delete(Path.Combine(copied.DiffPath, "app/tool.sh"));
        File.WriteAllText(Path.Combine(copied.DiffPath, "app/planted"), "not in the layer");
        // a whiteout removed, an opaque mark removed
        File.Delete(Path.Combine(whiteout.DiffPath, "opt/remove-me"));
        using (var doc = OverlayPS.Core.Posix.DirHandle.OpenRoot(Path.Combine(opaque.DiffPath, "usr/share/doc")))
            doc.RemoveXattr("base", "trusted.overlay.opaque", mustExist: true);

        var found = StoreLayerTar.VerifyAll(DockerStore.Open(root))
            .Select(f => $"{f.Problem} {Rel(f.Path, root)}").OrderBy(x => x, StringComparer.Ordinal).ToList();
        var expected = new[]
        {
            $"DiffIdMismatch overlay2/{big.CacheId}/diff",
            $"DiffIdMismatch overlay2/{copied.CacheId}/diff",
            $"DiffIdMismatch overlay2/{whiteout.CacheId}/diff",
            $"DiffIdMismatch overlay2/{opaque.CacheId}/diff",
            $"ExtraLayerFile overlay2/{copied.CacheId}/diff/app/planted",
            $"MissingLayerFile overlay2/{copied.CacheId}/diff/app/tool.sh",
            $"MissingLayerFile overlay2/{opaque.CacheId}/diff/usr/share/doc/base/.wh..wh..opq",
            $"MissingLayerFile overlay2/{whiteout.CacheId}/diff/opt/.wh.remove-me",
            $"TamperedLayerFile overlay2/{big.CacheId}/diff/app/big.bin",
            $"TamperedLayerFile overlay2/{copied.CacheId}/diff/app/copied.txt",
        }.OrderBy(x => x, StringComparer.Ordinal).ToList();
        // The whiteout and opaque mark are headers only: removing them changes no byte of the
        // stream, so those two layers still hash to their DiffIDs (as docker would say too).
        expected.Remove($"DiffIdMismatch overlay2/{whiteout.CacheId}/diff");
        expected.Remove($"DiffIdMismatch overlay2/{opaque.CacheId}/diff");
        Assert.Equal(expected, found);
    }

    [SkippableFact]
    public void A_layer_whose_dir_is_gone_is_left_to_the_store_check_not_reported_twice()
    {
        var root = _fx.UnpackCopy("layer-gone");
        var top = Assert.Single(DockerStore.Open(root).FindImages("tenlayers:latest")).Layers[^1]!;
        Directory.Delete(top.Path, recursive: true);
        var store = DockerStore.Open(root);
        Assert.Empty(StoreLayerTar.VerifyAll(store));
        Assert.Single(StoreCheck.Run(store), f => f.Problem == StoreProblem.MissingLayerDir && f.Subject == top.ChainId);
    }

    static string Rel(string path, string root) => Path.GetRelativePath(root, path);
}
