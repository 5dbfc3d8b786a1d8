using System.Text.Json;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Podman;
using OverlayPS.Core.Stores;

namespace OverlayPS.Tests.Podman;

/// <summary>Every image, container and layer dir of the podman fixture, against what podman said.</summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanStoreTests
{
    readonly PodmanFixture _fx;
    public PodmanStoreTests(PodmanFixture fx) => _fx = fx;

    PodmanStore Open() => PodmanStore.Open(_fx.Root);
    static string[] Strings(JsonElement e, string name) => PodmanFixture.Strings(e, name);

    [SkippableFact]
    public void The_factory_opens_a_containers_storage_root_or_its_overlay_dir_as_podman()
    {
        foreach (var dir in new[] { _fx.Root, Path.Combine(_fx.Root, "overlay") })
        {
            var store = ImageStore.Open(dir);
            Assert.IsType<PodmanStore>(store);
            Assert.Equal(StoreKind.Podman, store.Kind);
            Assert.Equal(_fx.Root, store.Root);
        }
    }

    [SkippableFact]
    public void Every_image_has_podmans_layers_diff_ids_links_size_names_and_kind()
    {
        var store = Open();
        var truth = PodmanFixture.Json("images-summary.json").EnumerateArray().ToList();
        Assert.Equal(10, truth.Count);
        Assert.Equal(truth.Count, store.Images.Count);
        foreach (var t in truth)
        {
            var img = Assert.Single(store.Images, i => i.Id == "sha256:" + t.GetProperty("id").GetString());
            Assert.Equal(StoreKind.Podman, img.StoreKind);
            Assert.Equal(Strings(t, "layers"), img.GetLayers().Select(l => l!.CacheId));
            Assert.Equal(Strings(t, "diff_ids"), img.DiffIds);
            Assert.Equal(Strings(t, "diff_ids"), img.GetLayers().Select(l => l!.DiffId));
            Assert.Equal(Digests.ChainIds(img.DiffIds), img.ChainIds);
            Assert.Equal(img.ChainIds, img.GetLayers().Select(l => l!.ChainId));
            Assert.Equal(Strings(t, "links"), img.GetLayers().Select(l => l!.LinkId));
            Assert.Equal(t.GetProperty("size").GetInt64(), img.Size);
            Assert.Equal(Strings(t, "names"), img.Tags);
            Assert.Equal(t.GetProperty("dangling").GetBoolean(), img.IsDangling);
            Assert.Equal(t.GetProperty("intermediate").GetBoolean(), img.IsIntermediate);
            Assert.True(img.IsComplete);
            for (int n = 0; n < img.LayerCount; n++)
                Assert.Equal(n + 1, img.GetLayers()[n]!.Position);
        }
    }

    [SkippableFact]
    public void Parents_and_repo_digests_are_podmans()
    {
        var store = Open();
        foreach (var t in PodmanFixture.Json("images-all.json").EnumerateArray())
        {
            var img = Assert.Single(store.Images, i => i.Id == "sha256:" + t.GetProperty("Id").GetString());
            var parent = t.TryGetProperty("ParentId", out var p) ? p.GetString() : null;
            Assert.Equal(string.IsNullOrEmpty(parent) ? null : "sha256:" + parent, img.Parent);
            Assert.Equal(Strings(t, "RepoDigests").OrderBy(x => x, StringComparer.Ordinal), img.RepoDigests);
        }
    }

    [SkippableFact]
    public void Every_image_history_is_podman_history()
    {
        var store = Open();
        int images = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(PodmanFixture.TruthDir, "history")))
        {
            var img = Assert.Single(store.Images, i => i.Id == "sha256:" + Path.GetFileNameWithoutExtension(file));
            var truth = PodmanFixture.Json(Path.Combine("history", Path.GetFileName(file))).EnumerateArray().ToList();
            var ours = img.GetHistory().Reverse().ToList();     // podman history: newest first
            Assert.Equal(truth.Count, ours.Count);
            for (int i = 0; i < truth.Count; i++)
            {
                var id = truth[i].GetProperty("id").GetString();
                Assert.Equal(id == "<missing>" ? null : "sha256:" + id, ours[i].ImageId);
                Assert.Equal(truth[i].GetProperty("size").GetInt64(), ours[i].Size);
                Assert.Equal(truth[i].GetProperty("CreatedBy").GetString(), ours[i].CreatedBy);
                Assert.Equal(truth[i].TryGetProperty("comment", out var c) ? c.GetString() : null, ours[i].Comment);
            }
            images++;
        }
        Assert.Equal(10, images);
    }

    [SkippableFact]
    public void Every_container_has_podmans_layers_image_and_name()
    {
        var store = Open();
        var truth = PodmanFixture.Json("containers-summary.json").EnumerateArray().ToList();
        Assert.Equal(3, truth.Count);
        Assert.Equal(3, store.Containers.Count);
        foreach (var t in truth)
        {
            var c = Assert.Single(store.FindContainers(t.GetProperty("name").GetString()!));
            Assert.Equal(t.GetProperty("id").GetString(), c.Id);
            Assert.Equal(StoreKind.Podman, c.StoreKind);
            Assert.Equal("sha256:" + t.GetProperty("image").GetString(), c.ImageId);
            Assert.Equal(t.GetProperty("image_name").GetString(), c.Image);
            Assert.Equal(t.GetProperty("rw_layer").GetString(), c.RwLayerId);
            Assert.Equal(Strings(t, "image_layers").Append(t.GetProperty("rw_layer").GetString()!), c.LayerIds);
            Assert.Equal(LayerKind.Container, c.GetRwLayer()!.Kind);
            Assert.Equal(new[] { c.Name }, c.GetRwLayer()!.Containers);
            Assert.Equal(t.GetProperty("link").GetString(), c.GetRwLayer()!.LinkId);
            // libpod's run state is not read; never started is visible in the store.
            Assert.Equal(t.GetProperty("state").GetString() == "created" ? "created" : "unknown", c.State);
        }
        // c-untagged's image lost its only name: shown by the name it was created from, as podman ps does.
        Assert.True(Assert.Single(store.FindContainers("c-untagged")).GetImage()!.IsDangling);
    }

    [SkippableTheory]
    [InlineData("c-ran")]
    [InlineData("c-created")]
    [InlineData("c-untagged")]
    public void Every_container_changes_equal_podman_diff(string name)
    {
        var store = Open();
        var c = Assert.Single(store.FindContainers(name));
        var set = store.GetChanges(c.GetRwLayer()!);
        var truth = PodmanFixture.Json(Path.Combine("diff", name + ".json"));
        foreach (var (kind, key) in new[] { (ChangeKind.Added, "added"), (ChangeKind.Changed, "changed"), (ChangeKind.Deleted, "deleted") })
            Assert.Equal(Strings(truth, key).OrderBy(x => x, StringComparer.Ordinal),
                set.Changes.Where(x => x.Kind == kind).Select(x => x.Path).OrderBy(x => x, StringComparer.Ordinal));
        Assert.All(set.Changes, x => Assert.Equal(StoreKind.Podman, x.StoreKind));
        Assert.All(set.Changes, x => Assert.Equal(name, x.Container));
    }

    [SkippableFact]
    public void Podman_diff_reports_an_opaque_dir_as_deleted_where_docker_diff_reports_it_changed()
    {
        var store = Open();
        var changes = store.GetChanges(Assert.Single(store.FindContainers("c-ran")).GetRwLayer()!).Changes;
        Assert.Contains(changes, x => x.Path == "/srv/cache" && x.Kind == ChangeKind.Deleted && x.ItemType == Core.Posix.FileKind.Directory);
        Assert.Contains(changes, x => x.Path == "/srv/cache/from-container.txt" && x.Kind == ChangeKind.Added);
        // The mount targets podman writes into every container it runs are not listed.
        Assert.DoesNotContain(changes, x => x.Path is "/run" or "/run/.containerenv" or "/etc/hosts" or "/etc/mtab");
        Assert.True(File.Exists(Path.Combine(_fx.Root, "overlay", c_ranLayer(store), "diff", "run", ".containerenv")));
    }

    static string c_ranLayer(PodmanStore store) => Assert.Single(store.FindContainers("c-ran")).RwLayerId!;

    [SkippableFact]
    public void Every_layer_dir_and_its_files_belong_to_their_layer()
    {
        var store = Open();
        var dirs = Directory.GetDirectories(Path.Combine(_fx.Root, "overlay")).Where(d => Path.GetFileName(d) != "l").ToList();
        Assert.Equal(13, dirs.Count);
        Assert.Equal(13, store.Layers.Count);
        foreach (var dir in dirs)
        {
            var id = Path.GetFileName(dir);
            foreach (var p in new[] { dir, Path.Combine(dir, "diff"), Path.Combine(dir, "link") })
                Assert.Equal(id, store.LayerOwningPath(p)?.CacheId);
            var link = File.ReadAllText(Path.Combine(dir, "link")).Trim();
            Assert.Equal(id, store.LayerOwningPath(Path.Combine(_fx.Root, "overlay", "l", link))?.CacheId);
            var tarSplit = Path.Combine(_fx.Root, "overlay-layers", id + ".tar-split.gz");
            if (File.Exists(tarSplit))
                Assert.Equal(id, store.LayerOwningPath(tarSplit)?.CacheId);
        }
        // Users per layer, as the store tree names them: top-level images and containers.
        foreach (var t in PodmanFixture.Json("images-summary.json").EnumerateArray().Where(t => !t.GetProperty("intermediate").GetBoolean()))
            foreach (var id in Strings(t, "layers"))
                Assert.Contains("sha256:" + t.GetProperty("id").GetString(), store.LayerByCacheId(id)!.ImageIds);
        foreach (var t in PodmanFixture.Json("containers-summary.json").EnumerateArray())
            Assert.Equal(t.GetProperty("rw_layer").GetString(),
                store.LayerOwningPath(Path.Combine(_fx.Root, "overlay-containers", t.GetProperty("id").GetString()!, "userdata"))?.CacheId);
        Assert.Null(store.LayerOwningPath(Path.Combine(_fx.Root, "overlay-images")));
        Assert.Null(store.LayerOwningPath("/etc"));
    }

    [SkippableFact]
    public void Images_are_found_by_podman_short_names_ids_and_wildcards()
    {
        var store = Open();
        Assert.Equal("localhost/fixture/base:latest", Assert.Single(store.FindImages("fixture/base")).Name);
        Assert.Equal("localhost/fixture/layers:1.0", Assert.Single(store.FindImages("example.org/fixture/layers:stable")).Name);
        Assert.Equal("localhost/fixture/layers:1.0", Assert.Single(store.FindImages("fixture/layers:1.0")).Name);
        Assert.Single(store.FindImages("617a99de7373"));
        Assert.Equal(2, store.FindImages("*fixture/*s:*").Count());      // layers and tools
        Assert.Empty(store.FindImages("fixture/nope"));
    }

    [SkippableFact]
    public void Layers_of_volatile_containers_are_read_from_volatile_layers_json()
    {
        // containers-storage keeps the layers of --volatile containers in a second file.
        var root = _fx.UnpackCopy("volatile");
        var layersJson = Path.Combine(root, "overlay-layers", "layers.json");
        var all = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(layersJson))!.AsArray();
        var rw = Assert.Single(PodmanFixture.Json("containers-summary.json").EnumerateArray(),
            t => t.GetProperty("name").GetString() == "c-created").GetProperty("rw_layer").GetString();
        var entry = all.Single(l => (string?)l!["id"] == rw)!;
        all.Remove(entry);
        File.WriteAllText(layersJson, all.ToJsonString());
        File.WriteAllText(Path.Combine(root, "overlay-layers", "volatile-layers.json"), new System.Text.Json.Nodes.JsonArray(entry).ToJsonString());
        var store = PodmanStore.Open(root);
        var c = Assert.Single(store.FindContainers("c-created"));
        Assert.Equal(LayerKind.Container, c.GetRwLayer()!.Kind);
        Assert.Equal(3, c.LayerIds.Count);
        Assert.Empty(store.Check());
    }

    [SkippableFact]
    public void A_pristine_store_has_no_findings()
    {
        var store = Open();
        Assert.Empty(store.ReadProblems);
        Assert.Empty(store.Check());
    }
}
