using System.Text.Json;
using OverlayPS.Core.Containerd;
using OverlayPS.Core.Docker;

namespace OverlayPS.Tests.Containerd;

/// <summary>The containerd store read offline against what ctr and the image builder said:
/// images, their layers and sizes, containers, and who owns each snapshot dir.</summary>
[Collection(ContainerdCollection.Name)]
public sealed class ContainerdStoreTests
{
    readonly ContainerdFixture _fx;
    public ContainerdStoreTests(ContainerdFixture fx) => _fx = fx;

    [SkippableTheory]
    [InlineData("default")]
    [InlineData("moby")]
    public void Every_image_has_ctrs_digest_and_the_builders_diff_ids_chain_ids_snapshots_and_sizes(string ns)
    {
        var store = _fx.Open(ns);
        var ctr = ContainerdFixture.Table($"ns-{ns}/images-ls.txt");
        Assert.Equal(ctr.Select(r => ImageReferences.Familiar(r[0])).Order(), store.Images.Select(i => i.Name).Order());
        var built = ContainerdFixture.Json("expected-oci.json").GetProperty("images").EnumerateArray().ToList();
        var snapshots = ContainerdFixture.SnapshotMap().Where(s => s.GetProperty("namespace").GetString() == ns).ToList();
        foreach (var row in ctr)
        {
            var img = Assert.Single(store.FindImages(row[0]));
            Assert.Equal(row[2], img.Id);                                  // ctr's DIGEST: the manifest
            Assert.Equal(ns, img.Namespace);
            Assert.Equal(StoreKind.ContainerdOverlayfs, img.StoreKind);
            var b = built.Single(x => x.GetProperty("ref").GetString() == row[0]);
            Assert.Equal(b.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("diff_id").GetString()), img.DiffIds);
            Assert.Equal(b.GetProperty("chain_ids").EnumerateArray().Select(c => c.GetString()), img.ChainIds);
            long size = 0;
            foreach (var (chain, layer) in img.ChainIds.Zip(img.GetLayers()))
            {
                var snap = snapshots.Single(s => s.GetProperty("key").GetString() == chain);
                var backend = snap.GetProperty("backend");
                Assert.NotNull(layer);
                Assert.Equal(backend.GetProperty("id").GetInt64().ToString(), layer!.CacheId);
                Assert.Equal(backend.GetProperty("usage_size").GetInt64(), layer.Size);
                Assert.Equal(chain, layer.ChainId);
                Assert.Equal(LayerKind.Image, layer.Kind);
                Assert.Equal(Path.Combine(_fx.Root, "io.containerd.snapshotter.v1.overlayfs", backend.GetProperty("dir").GetString()!), layer.Path);
                Assert.True(layer.Exists);
                size += layer.Size!.Value;
            }
            Assert.Equal(size, img.Size);
            Assert.True(img.IsComplete);
        }
    }

    [SkippableFact]
    public void History_pairs_each_config_step_with_the_layer_it_made()
    {
        var store = _fx.Open("default");
        foreach (var img in store.Images)
        {
            // The config as the content store holds it, read here on its own.
            var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(img.Id))).RootElement;
            var config = JsonDocument.Parse(File.ReadAllBytes(Blob(manifest.GetProperty("config").GetProperty("digest").GetString()!))).RootElement;
            var steps = config.GetProperty("history").EnumerateArray().ToList();
            var history = img.GetHistory();
            Assert.Equal(steps.Count, history.Count);
            int layer = 0;
            foreach (var (step, ours) in steps.Zip(history))
            {
                Assert.Equal(step.GetProperty("created_by").GetString(), ours.CreatedBy);
                bool empty = step.TryGetProperty("empty_layer", out var e) && e.GetBoolean();
                Assert.Equal(empty, ours.EmptyLayer);
                if (!empty)
                    Assert.Same(img.GetLayers()[layer++], ours.GetLayer());
            }
            Assert.Equal(img.LayerCount, layer);
            Assert.Equal(img.Id, history[^1].ImageId);
        }
    }

    string Blob(string digest) =>
        Path.Combine(_fx.Root, "io.containerd.content.v1.content", "blobs", "sha256", Digests.Hex(digest));

    [SkippableTheory]
    [InlineData("default")]
    [InlineData("moby")]
    public void Every_container_has_ctrs_image_and_its_snapshot_over_the_snapshots_below(string ns)
    {
        var store = _fx.Open(ns);
        var ctr = ContainerdFixture.Table($"ns-{ns}/containers-ls.txt");
        Assert.Equal(ctr.Select(r => r[0]).Order(), store.Containers.Select(c => c.Id).Order());
        var snapshots = ContainerdFixture.SnapshotMap().Where(s => s.GetProperty("namespace").GetString() == ns).ToList();
        foreach (var row in ctr)
        {
            var c = Assert.Single(store.FindContainers(row[0]));
            Assert.Equal(ImageReferences.Familiar(row[1]), c.Image);
            Assert.Equal(store.FindImages(row[1]).Single().Id, c.ImageId);
            var key = ns == "default"
                ? ContainerdFixture.Json($"ns-default/container-info/{row[0]}.json").GetProperty("SnapshotKey").GetString()
                : row[0];   // ctr run in moby: the snapshot key is the container id
            var snap = snapshots.Single(s => s.GetProperty("key").GetString() == key);
            Assert.Equal(snap.GetProperty("backend").GetProperty("id").GetInt64().ToString(), c.RwLayerId);
            Assert.Equal(LayerKind.Container, c.GetRwLayer()!.Kind);
            Assert.Equal(snap.GetProperty("lower_ids_top_first").EnumerateArray().Select(i => i.GetInt64().ToString()),
                c.GetLowerLayers().Select(l => l.CacheId));
            Assert.Equal(c.GetLowerLayers().Select(l => l.CacheId), store.LowerLayers(c.GetRwLayer()!).Reverse().Select(l => l.CacheId));
            Assert.Contains(c.Name, c.GetImage()!.Containers);
        }
    }

    [SkippableFact]
    public void Every_snapshot_dir_is_owned_by_its_key_in_its_namespace_and_named_from_the_other()
    {
        var stores = new[] { "default", "moby" }.ToDictionary(ns => ns, ns => _fx.Open(ns));
        int dirs = 0;
        foreach (var s in ContainerdFixture.SnapshotMap())
        {
            var ns = s.GetProperty("namespace").GetString()!;
            var id = s.GetProperty("backend").GetProperty("id").GetInt64().ToString();
            var fs = Path.Combine(_fx.Root, "io.containerd.snapshotter.v1.overlayfs", "snapshots", id, "fs");
            foreach (var path in new[] { fs, Path.Combine(fs, "etc", "motd"), Path.GetDirectoryName(fs)! })
            {
                var owner = stores[ns].LayerOwningPath(path);
                Assert.NotNull(owner);
                Assert.Equal(s.GetProperty("key").GetString(), owner!.SnapshotKey);
                Assert.Equal(id, owner.CacheId);
            }
            var other = stores[ns == "default" ? "moby" : "default"];
            Assert.Null(other.LayerOwningPath(fs));
            Assert.Contains($"namespace '{ns}': add -Namespace {ns}", other.OwnedOutsideView(fs));
            dirs++;
        }
        Assert.Equal(17, dirs);
        Assert.Null(stores["default"].LayerOwningPath(Path.Combine(_fx.Root, "io.containerd.metadata.v1.bolt", "meta.db")));
    }

    [SkippableFact]
    public void Snapshots_no_container_uses_are_snapshot_layers_and_the_fixture_checks_clean()
    {
        var store = _fx.Open("default");
        var kinds = store.Layers.ToDictionary(l => l.SnapshotKey!, l => l.Kind);
        Assert.Equal(LayerKind.Snapshot, kinds["manual-active"]);
        Assert.Equal(LayerKind.Snapshot, kinds["view-app"]);
        Assert.Equal(LayerKind.Snapshot, kinds["no-parent-active"]);
        Assert.Equal(LayerKind.Image, kinds["committed-custom"]);
        Assert.Null(store.LayerBySnapshotKey("committed-custom")!.ChainId);   // a commit under a custom name
        Assert.Equal(new[] { "16", "1" }, store.LayerBySnapshotKey("on-custom")!.Lowers);
        Assert.Equal(12, store.Layers.Count);
        Assert.Empty(store.Check());
        Assert.Equal(new[] { "default", "moby" }, store.Namespaces);
    }

    [SkippableFact]
    public void The_namespace_defaults_to_default_and_an_unknown_one_is_refused_by_name()
    {
        Assert.Equal("default", Assert.IsType<ContainerdStore>(OverlayPS.Core.Stores.ImageStore.Open(_fx.Root, null)).Namespace);
        var e = Assert.Throws<NamespaceNotFoundException>(() => _fx.Open("nosuch"));
        Assert.Contains("has no namespace 'nosuch'; it has: default, moby", e.Message);
    }
}
