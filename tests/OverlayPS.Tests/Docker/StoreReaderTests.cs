using System.Globalization;
using System.Text.Json;
using OverlayPS.Core.Docker;

namespace OverlayPS.Tests.Docker;

/// <summary>Every image and container of the fixture, against what docker itself said.</summary>
[Collection(DockerCollection.Name)]
public sealed class StoreReaderTests
{
    readonly DockerFixture _fx;
    public StoreReaderTests(DockerFixture fx) => _fx = fx;

    DockerStore Open() => DockerStore.Open(_fx.Root);

    static string[] Strings(JsonElement e, string name) =>
        e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!).ToArray();

    [SkippableFact]
    public void Every_image_has_dockers_layers_diffids_chainids_dirs_size_and_tags()
    {
        var store = Open();
        var truth = DockerFixture.Json("images-summary.json").EnumerateArray().ToList();
        Assert.Equal(30, truth.Count);
        Assert.Equal(truth.Count, store.Images.Count);
        foreach (var t in truth)
        {
            var id = t.GetProperty("id").GetString()!;
            var img = Assert.Single(store.Images, i => i.Id == id);
            Assert.Equal(Strings(t, "diff_ids"), img.DiffIds);
            Assert.Equal(Strings(t, "chain_ids"), img.ChainIds);
            Assert.Equal(Strings(t, "cache_ids"), img.Layers.Select(l => l!.CacheId));
            Assert.Equal(t.GetProperty("size").GetInt64(), img.Size);
            Assert.Equal(Strings(t, "repo_tags").OrderBy(x => x, StringComparer.Ordinal), img.Tags);
            var parent = t.GetProperty("parent").GetString();
            Assert.Equal(string.IsNullOrEmpty(parent) ? null : parent, img.Parent);
            // Each layer knows its place: position n of every image holding it.
            for (int n = 0; n < img.Layers.Count; n++)
                Assert.Equal(n + 1, img.Layers[n]!.Position);
        }
    }

    [SkippableFact]
    public void Image_layers_have_dockers_upper_and_lower_dirs()
    {
        var store = Open();
        foreach (var t in DockerFixture.Json("image-inspect.json").EnumerateArray())
        {
            var img = Assert.Single(store.Images, i => i.Id == t.GetProperty("Id").GetString());
            var data = t.GetProperty("GraphDriver").GetProperty("Data");
            var top = img.Layers[^1]!;
            Assert.Equal(Rebase(data.GetProperty("UpperDir").GetString()!), top.DiffPath);
            var lowers = data.TryGetProperty("LowerDir", out var ld)
                ? ld.GetString()!.Split(':').Select(Rebase).ToArray()
                : Array.Empty<string>();
            Assert.Equal(lowers, top.Lowers.Select(id => Path.Combine(store.Overlay2Path, id, "diff")));
        }
    }

    [SkippableFact]
    public void History_matches_docker_history_for_every_image()
    {
        var store = Open();
        foreach (var file in Directory.GetFiles(Path.Combine(DockerFixture.TruthDir, "history")))
        {
            var id = "sha256:" + Path.GetFileNameWithoutExtension(file);
            var img = Assert.Single(store.Images, i => i.Id == id);
            var truth = DockerFixture.JsonLines(Path.Combine("history", Path.GetFileName(file))).ToList();
            var ours = img.History.Reverse().ToList();   // docker history prints newest first
            Assert.Equal(truth.Count, ours.Count);
            for (int i = 0; i < truth.Count; i++)
            {
                Assert.Equal(truth[i].GetProperty("CreatedBy").GetString(), ours[i].CreatedBy ?? "");
                Assert.Equal(truth[i].GetProperty("Comment").GetString(), ours[i].Comment ?? "");
                Assert.Equal(truth[i].GetProperty("Size").GetString(), HumanSize(ours[i].Size));
                var hid = truth[i].GetProperty("ID").GetString();
                Assert.Equal(hid == "<missing>" ? null : hid, ours[i].ImageId);
            }
        }
    }

    [SkippableFact]
    public void Layers_name_the_step_that_made_them_and_their_users()
    {
        var store = Open();
        var app = Assert.Single(store.FindImages("app:1.0"));
        var big = app.Layers[8]!;
        Assert.Equal("/bin/sh -c head -c 1048576 /dev/urandom > /app/big.bin", big.CreatedBy);
        Assert.Contains("app:1.0", big.Images);
        Assert.Contains("child:latest", big.Images);
        Assert.Contains("c-ran", big.Containers);
        Assert.DoesNotContain("c-stopped", big.Containers);
        var baseLayer = app.Layers[0]!;
        Assert.Equal(LayerKind.Image, baseLayer.Kind);
        Assert.Empty(baseLayer.Lowers);
        // store-tree.txt: the base layer is used by 7 top-level images, the dangling one included.
        Assert.Equal(new[] { "app:1.0", "base:latest", "cad874e87a05", "child:latest", "committed:latest", "tenlayers:latest", "tools:latest" },
            baseLayer.Images.OrderBy(x => x, StringComparer.Ordinal));
        Assert.True(Assert.Single(store.Images, i => i.ShortId == "cad874e87a05").IsDangling);
    }

    [SkippableFact]
    public void Containers_have_dockers_rw_and_init_layers_image_state_and_lowers()
    {
        var store = Open();
        var truth = DockerFixture.Json("containers-summary.json").EnumerateArray().ToList();
        Assert.Equal(truth.Count, store.Containers.Count);
        foreach (var t in truth)
        {
            var c = Assert.Single(store.FindContainers(t.GetProperty("name").GetString()!));
            Assert.Equal(t.GetProperty("id").GetString(), c.Id);
            Assert.Equal(t.GetProperty("image").GetString(), c.ImageId);
            Assert.Equal(t.GetProperty("state").GetString(), c.State);
            Assert.Equal(t.GetProperty("rw_cache_id").GetString(), c.RwLayer!.CacheId);
            Assert.Equal(t.GetProperty("init_cache_id").GetString(), c.InitLayer!.CacheId);
            Assert.Equal(LayerKind.Container, c.RwLayer.Kind);
            Assert.Equal(LayerKind.Init, c.InitLayer.Kind);
            var data = t.GetProperty("graphdriver").GetProperty("Data");
            Assert.Equal(Rebase(data.GetProperty("UpperDir").GetString()!), c.RwLayer.DiffPath);
            var lowers = data.GetProperty("LowerDir").GetString()!.Split(':').Select(Rebase);
            Assert.Equal(lowers, c.LowerLayers.Select(l => l.DiffPath));
            // The rw layer's own lower file says the same.
            Assert.Equal(c.LowerLayers.Select(l => l.CacheId), c.RwLayer.Lowers);
            Assert.Equal(c.LowerLayers.Count + 1, c.RwLayer.Position);
        }
        var stopped = Assert.Single(store.FindContainers("c-stopped"));
        Assert.Equal(137, stopped.ExitCode);
        Assert.Equal(new[] { "/data" }, Assert.Single(store.FindContainers("c-ran")).MountPoints);
    }

    [SkippableFact]
    public void Every_overlay2_dir_is_accounted_for_and_none_is_unreferenced()
    {
        var store = Open();
        var dirs = Directory.GetDirectories(store.Overlay2Path).Select(Path.GetFileName).Where(n => n != "l").ToList();
        Assert.Equal(32, dirs.Count);
        Assert.Equal(dirs.OrderBy(x => x), store.Layers.Select(l => l.CacheId).OrderBy(x => x));
        Assert.DoesNotContain(store.Layers, l => l.Kind == LayerKind.Unreferenced);
        Assert.Equal(26, store.Layers.Count(l => l.Kind == LayerKind.Image));
        Assert.All(store.Layers, l => Assert.Equal(26, l.LinkId!.Length));
    }

    [SkippableFact]
    public void A_path_inside_the_store_names_its_owner()
    {
        var store = Open();
        var ran = Assert.Single(store.FindContainers("c-ran"));
        Assert.Same(ran.RwLayer, store.LayerOwningPath(Path.Combine(ran.RwLayer!.DiffPath, "newfile.txt")));
        Assert.Same(ran.InitLayer, store.LayerOwningPath(ran.InitLayer!.Path));
        var app = Assert.Single(store.FindImages("app"));
        var top = app.Layers[^1]!;
        Assert.Same(top, store.LayerOwningPath(Path.Combine(store.Overlay2Path, "l", top.LinkId!)));
        Assert.Same(top, store.LayerOwningPath(Path.Combine(store.LayerDbPath, "sha256", Digests.Hex(top.ChainId!), "size")));
        Assert.Null(store.LayerOwningPath("/etc/passwd"));
    }

    [SkippableFact]
    public void Images_are_found_by_tag_id_prefix_and_wildcard()
    {
        var store = Open();
        var app = Assert.Single(store.FindImages("app:1.0"));
        Assert.Same(app, Assert.Single(store.FindImages("localhost:5000/fixture/app:1.0")));
        Assert.Same(app, Assert.Single(store.FindImages("17c0fa8df651")));
        Assert.Same(app, Assert.Single(store.FindImages("sha256:17c0fa8df65148fb9b74af0b09992329208b5fc49a1f7da1ed812ff2b3da14dc")));
        Assert.Equal(new[] { "app:1.0" }, store.FindImages("app:*").Select(i => i.Name));
        Assert.Empty(store.FindImages("nope:1"));
        Assert.Equal("2c11cf80a5b3", Assert.Single(store.FindContainers("2c11cf")).ShortId);
    }

    /// <summary>The store was made in /var/lib/docker; the copy lives in a temp dir.</summary>
    string Rebase(string path) =>
        path.StartsWith("/var/lib/docker/", StringComparison.Ordinal) ? Path.Combine(_fx.Root, path["/var/lib/docker/".Length..]) : path;

    /// <summary>go-units HumanSizeWithPrecision(size, 3), what docker history prints.</summary>
    static string HumanSize(long size)
    {
        string[] units = { "B", "kB", "MB", "GB", "TB" };
        double v = size;
        int i = 0;
        while (v >= 1000 && i < units.Length - 1) { v /= 1000; i++; }
        return v.ToString("G3", CultureInfo.InvariantCulture) + units[i];
    }
}
