using OverlayPS.Core.Layers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using OverlayPS.Core.Docker;

namespace OverlayPS.Tests.Docker;

/// <summary>
/// The reader on stores other dockerd versions and situations leave, each made from a private
/// copy of the fixture edited the way moby would have left it (the committed fixture is never
/// touched): repo digests and registry hosts in repositories.json, an image deleted under its
/// container (docker rmi -f), a tag moved to another image, a container without an init layer,
/// layerdb entries without their optional files, driver files beside the layer dirs, a
/// running container whose merged dir is mounted, every container state.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class StoreVariantTests
{
    readonly DockerFixture _fx;
    public StoreVariantTests(DockerFixture fx) => _fx = fx;

    static readonly string DigestA = "sha256:" + new string('a', 64), DigestC = "sha256:" + new string('c', 64);

    static string ReposPath(string root) => Path.Combine(root, "image/overlay2/repositories.json");

    static void EditRepositories(string root, Action<JsonObject> edit) =>
        EditJson(ReposPath(root), doc => edit(doc["Repositories"]!.AsObject()));

    static void EditContainer(string root, string id, Action<JsonObject> edit) =>
        EditJson(Path.Combine(root, "containers", id, "config.v2.json"), edit);

    static void EditJson(string path, Action<JsonObject> edit)
    {
        var doc = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(doc);
        File.WriteAllText(path, doc.ToJsonString());
    }

    [SkippableFact]
    public void Repo_digests_are_not_tags_and_references_match_as_docker_normalises_them()
    {
        var root = _fx.UnpackCopy("refs");
        var before = DockerStore.Open(root);
        var appId = Assert.Single(before.FindImages("app:1.0")).Id;
        var toolsId = Assert.Single(before.FindImages("tools")).Id;
        EditRepositories(root, repos =>
        {
            repos["app"]!.AsObject()["app@" + DigestA] = appId;
            // tools pulled by digest only: no tag left.
            repos.Remove("tools");
            repos["tools"] = new JsonObject { ["tools@" + DigestC] = toolsId };
            // a nested repo on a registry with a port, and a fully qualified Docker Hub name
            // as some writers store it.
            repos["localhost:5000/team/app"] = new JsonObject { ["localhost:5000/team/app:1"] = appId };
            repos["docker.io/library/base"] = new JsonObject { ["docker.io/library/base:old"] = appId };
        });

        var store = DockerStore.Open(root);
        var app = Assert.Single(store.Images, i => i.Id == appId);
        Assert.Equal(new[] { "app:1.0", "app:latest", "base:old", "localhost:5000/fixture/app:1.0", "localhost:5000/team/app:1" }, app.Tags);
        Assert.Equal(new[] { "app@" + DigestA }, app.RepoDigests);
        var tools = Assert.Single(store.Images, i => i.Id == toolsId);
        Assert.Empty(tools.Tags);
        Assert.Equal(new[] { "tools@" + DigestC }, tools.RepoDigests);
        Assert.Equal("tools@" + DigestC, tools.Name);
        // docker images lists it (tools <none>); dangling=true does too: it has no tag, no child.
        Assert.False(tools.IsIntermediate);
        Assert.True(tools.IsDangling);

        foreach (var reference in new[] { "app", "app:1.0", "docker.io/library/app:1.0", "library/app",
                     "index.docker.io/library/app", "app@" + DigestA, "app:1.0@" + DigestA, "docker.io/library/app:x@" + DigestA, "localhost:5000/team/app:1", "base:old", Digests.Short(appId) })
            Assert.Equal(appId, Assert.Single(store.FindImages(reference)).Id);
        Assert.Equal(toolsId, Assert.Single(store.FindImages("tools@" + DigestC)).Id);
        Assert.Empty(store.FindImages("tools"));            // no tools:latest any more
        Assert.Empty(store.FindImages("localhost:5000/team/app"));   // :latest, not :1
        Assert.Equal(appId, Assert.Single(store.FindImages("app@sha256:aaaa*")).Id);
        Assert.Empty(StoreCheck.Run(store));
    }

    [SkippableFact]
    public void A_container_whose_image_was_deleted_keeps_its_layers_from_the_mount_parent()
    {
        var root = _fx.UnpackCopy("rmi");
        var before = DockerStore.Open(root);
        var ran = Assert.Single(before.FindContainers("c-ran"));
        var app = Assert.Single(before.FindImages("app:1.0"));
        var lowers = ran.LowerLayers.Select(l => l.CacheId).ToList();
        var positions = ran.LowerLayers.Prepend(ran.RwLayer!).Select(l => l.Position).ToList();

        // docker rmi -f app: the config and the tags go, the layers stay (the container holds them).
        var imagedb = Path.Combine(root, "image/overlay2/imagedb");
        File.Delete(Path.Combine(imagedb, "content/sha256", Digests.Hex(app.Id)));
        Directory.Delete(Path.Combine(imagedb, "metadata/sha256", Digests.Hex(app.Id)), recursive: true);
        EditRepositories(root, repos => { repos.Remove("app"); repos.Remove("localhost:5000/fixture/app"); });

        var store = DockerStore.Open(root);
        var c = Assert.Single(store.FindContainers("c-ran"));
        Assert.Null(c.ImageObject);
        Assert.Equal(app.ShortId, c.Image);                  // docker ps shows the id once the ref is gone
        Assert.Equal(lowers, c.LowerLayers.Select(l => l.CacheId));
        Assert.Equal(positions, c.LowerLayers.Prepend(c.RwLayer!).Select(l => l.Position));
        Assert.All(c.LowerLayers.Where(l => l.Kind == LayerKind.Image), l => Assert.Contains("c-ran", l.Containers));
        Assert.Equal(lowers.Count + 1, store.ContainerStack(c).Lowers.Count);
        Assert.Equal(Assert.Single(before.FindContainers("c-ran")).RwLayer!.Lowers, c.RwLayer!.Lowers);
        var finding = Assert.Single(StoreCheck.Run(store));
        Assert.Equal(StoreProblem.MissingImage, finding.Problem);
        Assert.Contains("docker rmi -f", finding.Message);
    }

    [SkippableFact]
    public void A_container_whose_tag_moved_to_another_image_shows_its_image_id()
    {
        var root = _fx.UnpackCopy("moved");
        var before = DockerStore.Open(root);
        var toolsId = Assert.Single(before.FindImages("tools")).Id;
        var appShort = Assert.Single(before.FindImages("app:1.0")).ShortId;
        EditRepositories(root, repos => repos["app"]!.AsObject()["app:1.0"] = toolsId);   // a rebuild retagged app:1.0

        var store = DockerStore.Open(root);
        var c = Assert.Single(store.FindContainers("c-ran"));
        Assert.Equal(appShort, c.Image);
        Assert.Equal(appShort, c.ImageObject!.ShortId);
        Assert.Equal("tenlayers:latest", Assert.Single(store.FindContainers("c-stopped")).Image);

        // Created by id, by a digest, by a qualified name: shown as docker ps prints them.
        var stopped = Assert.Single(store.FindContainers("c-stopped"));
        EditRepositories(root, repos => repos["tenlayers"]!.AsObject()["tenlayers@" + DigestA] = stopped.ImageId);
        foreach (var (given, shown) in new[] { (stopped.ImageId!, stopped.ImageObject!.ShortId),
                     (Digests.Hex(stopped.ImageId!)[..16], stopped.ImageObject!.ShortId),
                     ("tenlayers@" + DigestA, "tenlayers"), ("tenlayers:latest@" + DigestA, "tenlayers:latest"),
                     ("docker.io/library/tenlayers", "tenlayers") })
        {
            EditContainer(root, stopped.Id, c => c["Config"]!["Image"] = given);
            Assert.Equal(shown, Assert.Single(DockerStore.Open(root).FindContainers("c-stopped")).Image);
        }
    }

    [SkippableFact]
    public void A_container_without_an_init_layer_stacks_its_layer_on_the_image()
    {
        var root = _fx.UnpackCopy("noinit");
        var before = DockerStore.Open(root);
        var created = Assert.Single(before.FindContainers("c-created"));
        var init = created.InitLayer!;
        var mount = Path.Combine(root, "image/overlay2/layerdb/mounts", created.Id);
        // As a daemon without an init layer leaves it: no init-id, no <id>-init dir, lower
        // starts at the image's top layer.
        File.Delete(Path.Combine(mount, "init-id"));
        Directory.Delete(init.Path, recursive: true);
        File.Delete(Path.Combine(root, "overlay2/l", init.LinkId!));
        var lowerFile = Path.Combine(created.RwLayer!.Path, "lower");
        File.WriteAllText(lowerFile, File.ReadAllText(lowerFile).Replace("l/" + init.LinkId + ":", ""));

        var store = DockerStore.Open(root);
        var c = Assert.Single(store.FindContainers("c-created"));
        Assert.Null(c.InitLayer);
        var image = Assert.Single(store.FindImages("child:latest"));
        Assert.Equal(image.Layers.Reverse().Select(l => l!.CacheId), c.LowerLayers.Select(l => l.CacheId));
        Assert.Equal(image.Layers.Count + 1, c.RwLayer!.Position);
        Assert.Equal(c.LowerLayers.Select(l => l.CacheId), c.RwLayer.Lowers);
        Assert.Empty(store.GetChanges(c.RwLayer).Changes);
        Assert.Empty(StoreCheck.Run(store));
    }

    [SkippableFact]
    public void Missing_optional_files_and_driver_files_beside_the_layers_change_nothing_else()
    {
        var root = _fx.UnpackCopy("sparse");
        var before = DockerStore.Open(root);
        var layerDb = Path.Combine(root, "image/overlay2/layerdb/sha256");
        foreach (var entry in Directory.GetDirectories(layerDb))
            foreach (var optional in new[] { "tar-split.json.gz", "descriptor.json", "size" })
                File.Delete(Path.Combine(entry, optional));
        foreach (var dir in Directory.GetDirectories(Path.Combine(root, "overlay2")))
            File.Delete(Path.Combine(dir, "committed"));
        // The quota code's block device at overlay2's top, another driver's leftovers beside
        // image/overlay2, a stray file.
        Sh(root, "mknod overlay2/backingFsBlockDev b 7 0 && mkdir -p image/vfs/imagedb vfs/dir && echo x > overlay2/README");

        var store = DockerStore.Open(root);
        Assert.Equal(before.Layers.Select(l => l.CacheId), store.Layers.Select(l => l.CacheId));
        Assert.Equal(before.Images.Select(i => i.Id), store.Images.Select(i => i.Id));
        Assert.All(store.Layers.Where(l => l.Kind == LayerKind.Image), l => Assert.Null(l.Size));
        Assert.Equal(before.Containers.Select(c => c.RwLayer!.CacheId), store.Containers.Select(c => c.RwLayer!.CacheId));
        Assert.Empty(StoreCheck.Run(store));
        Assert.Null(store.LayerOwningPath(Path.Combine(root, "overlay2/backingFsBlockDev")));
        // Measuring waste measures the layers layerdb gives no size for.
        var app = Assert.Single(store.FindImages("app:1.0"));
        var waste = WastedSpace.Measure(app);
        Assert.All(app.Layers, l => Assert.True(l!.SizeMeasured));
        Assert.Equal(Assert.Single(before.FindImages("app:1.0")).Size, waste.Size);
        Assert.Equal(WastedSpace.Measure(Assert.Single(before.FindImages("app:1.0"))).WastedBytes, waste.WastedBytes);
    }

    [SkippableFact]
    public void BuildKit_layer_dirs_are_build_cache_or_image_layers_not_orphans()
    {
        var root = _fx.UnpackCopy("buildkit");
        var before = DockerStore.Open(root);
        var app = Assert.Single(before.FindImages("app:1.0"));
        var top = app.Layers[^1]!;
        var o2 = Path.Combine(root, "overlay2");
        // An image layer BuildKit registered by its graph id (RegisterByGraphID): the overlay2
        // dir and layerdb's cache-id are a BuildKit key.
        const string registered = "k9zq3m0v7x1c4b8n2p5r6t0yw";
        Directory.Move(top.Path, Path.Combine(o2, registered));
        File.WriteAllText(Path.Combine(root, "image/overlay2/layerdb/sha256", Digests.Hex(top.ChainId!), "cache-id"), registered);
        File.Delete(Path.Combine(o2, "l", top.LinkId!));
        File.CreateSymbolicLink(Path.Combine(o2, "l", top.LinkId!), $"../{registered}/diff");
        // A build step's snapshot on top of it, known only to BuildKit's database.
        const string step = "0f3r7u2k9a8s1d6g5h4j3l2z1";
        Directory.CreateDirectory(Path.Combine(o2, step, "diff"));
        Directory.CreateDirectory(Path.Combine(o2, step, "work"));
        File.WriteAllText(Path.Combine(o2, step, "diff", "built"), "x");
        File.WriteAllText(Path.Combine(o2, step, "link"), "BUILDKITSTEPLINK0000000000");
        File.CreateSymbolicLink(Path.Combine(o2, "l", "BUILDKITSTEPLINK0000000000"), $"../{step}/diff");
        File.WriteAllText(Path.Combine(o2, step, "lower"),
            "l/" + top.LinkId + ":" + File.ReadAllText(Path.Combine(o2, registered, "lower")).Trim());
        Directory.CreateDirectory(Path.Combine(root, "buildkit"));

        var store = DockerStore.Open(root);
        var image = Assert.Single(store.FindImages("app:1.0"));
        Assert.Equal(registered, image.Layers[^1]!.CacheId);
        Assert.Equal(LayerKind.Image, image.Layers[^1]!.Kind);
        Assert.Equal(12, store.ImageStack(image).Lowers.Count);
        var cache = store.LayerByCacheId(step)!;
        Assert.Equal(LayerKind.BuildCache, cache.Kind);
        Assert.Equal(image.Layers.Reverse().Select(l => l!.CacheId), cache.Lowers);
        Assert.Equal(new[] { "A /built" }, store.GetChanges(cache).Changes.Select(c => c.ToString()));
        Assert.Empty(StoreCheck.Run(store));
        Assert.Equal(before.Containers.Select(c => c.LowerLayers.Count), store.Containers.Select(c => c.LowerLayers.Count));
    }

    [SkippableFact]
    public void A_container_removed_halfway_leaves_an_orphan_layer_reported()
    {
        var root = _fx.UnpackCopy("halfrm");
        var c = Assert.Single(DockerStore.Open(root).FindContainers("c-stopped"));
        // docker rm interrupted after the config went, before the layer did.
        Directory.Delete(Path.Combine(root, "containers", c.Id), recursive: true);
        var store = DockerStore.Open(root);
        Assert.Empty(store.FindContainers("c-stopped"));
        Assert.Equal(LayerKind.Container, store.LayerByCacheId(c.RwLayer!.CacheId)!.Kind);
        var finding = Assert.Single(StoreCheck.Run(store));
        Assert.Equal((StoreProblem.OrphanContainerLayer, c.Id), (finding.Problem, finding.Subject));
        Assert.Contains(c.RwLayer.CacheId, finding.Message);
    }

    [SkippableFact]
    public void A_running_container_with_its_merged_dir_mounted_reads_the_same()
    {
        var root = _fx.UnpackCopy("running");
        var before = DockerStore.Open(root);
        var ran = Assert.Single(before.FindContainers("c-ran"));
        var rw = ran.RwLayer!;
        var expected = before.GetChanges(rw).Changes.Select(x => x.ToString()).Order(StringComparer.Ordinal).ToList();
        var merged = Path.Combine(rw.Path, "merged");
        Directory.CreateDirectory(merged);
        var lower = File.ReadAllText(Path.Combine(rw.Path, "lower")).Trim();
        EditContainer(root, ran.Id, c => { c["State"]!["Running"] = true; c["State"]!["Pid"] = 4242; });
        // The kernel mount the overlay2 driver makes (relative lowers, run from overlay2/): by
        // mount(8), not KernelOverlay, which hands the kernel full paths.
        Sh(Path.Combine(root, "overlay2"), $"mount -t overlay overlay -o lowerdir={lower},upperdir={rw.CacheId}/diff,workdir={rw.CacheId}/work {rw.CacheId}/merged");
        try
        {
            var store = DockerStore.Open(root);
            var c = Assert.Single(store.FindContainers("c-ran"));
            Assert.Equal("running", c.State);
            Assert.Equal(before.Layers.Select(l => l.CacheId), store.Layers.Select(l => l.CacheId));
            Assert.Equal(expected, store.GetChanges(c.RwLayer!).Changes.Select(x => x.ToString()).Order(StringComparer.Ordinal));
            Assert.Same(c.RwLayer, store.LayerOwningPath(Path.Combine(merged, "etc")));
            Assert.Empty(StoreCheck.Run(store));
        }
        finally { Unmounts.Any(merged); }
    }

    [SkippableTheory]
    [InlineData("{\"Running\":true,\"Paused\":true,\"StartedAt\":\"2026-01-01T00:00:00Z\"}", "paused")]
    [InlineData("{\"Running\":true,\"Restarting\":true,\"StartedAt\":\"2026-01-01T00:00:00Z\"}", "restarting")]
    [InlineData("{\"Running\":false,\"Dead\":true,\"StartedAt\":\"2026-01-01T00:00:00Z\"}", "dead")]
    [InlineData("{\"Running\":false,\"RemovalInProgress\":true,\"Dead\":true,\"StartedAt\":\"2026-01-01T00:00:00Z\"}", "removing")]
    [InlineData("{\"Running\":false,\"StartedAt\":\"0001-01-01T00:00:00Z\"}", "created")]
    [InlineData("{\"Running\":false,\"ExitCode\":3,\"StartedAt\":\"2026-01-01T00:00:00Z\",\"FinishedAt\":\"2026-01-01T00:00:01Z\"}", "exited")]
    [InlineData("null", "unknown")]
    public void Container_states_follow_mobys_state_string(string state, string expected)
    {
        var root = _fx.UnpackCopy("state-" + expected);
        var id = Assert.Single(DockerStore.Open(root).FindContainers("c-stopped")).Id;
        EditContainer(root, id, c => c["State"] = JsonNode.Parse(state));
        Assert.Equal(expected, Assert.Single(DockerStore.Open(root).FindContainers("c-stopped")).State);
    }

    [SkippableFact]
    public void A_container_of_another_driver_says_why_it_has_no_layers_here()
    {
        var root = _fx.UnpackCopy("otherdriver");
        var id = Assert.Single(DockerStore.Open(root).FindContainers("c-created")).Id;
        // Docker 29 with the containerd image store: Driver "overlayfs", nothing in layerdb/mounts.
        EditContainer(root, id, c => { c["Driver"] = "overlayfs"; c["Image"] = DigestC; });   // an image of containerd's store
        Directory.Delete(Path.Combine(root, "image/overlay2/layerdb/mounts", id), recursive: true);

        var store = DockerStore.Open(root);
        var c = Assert.Single(store.FindContainers("c-created"));
        Assert.Null(c.RwLayer);
        var e = Assert.Throws<InvalidDataException>(() => store.ContainerStack(c));
        Assert.Contains("'overlayfs' storage driver", e.Message);
        Assert.Contains("containerd image store", e.Message);
        Assert.DoesNotContain(StoreCheck.Run(store), f => f.Subject == id);   // not broken: made elsewhere

        // The same container with the overlay2 driver cannot start: reported.
        EditContainer(root, id, c => c["Driver"] = "overlay2");
        Assert.Equal(new[] { StoreProblem.MissingContainerLayer, StoreProblem.MissingImage },
            StoreCheck.Run(DockerStore.Open(root)).Where(f => f.Subject == id).Select(f => f.Problem));
    }

    [Fact]
    public void A_fresh_store_without_images_or_repositories_json_is_empty_and_healthy()
    {
        using var tmp = new TempDir("ovlps-fresh");
        foreach (var d in new[] { "image/overlay2/imagedb/content/sha256", "image/overlay2/imagedb/metadata/sha256",
                     "image/overlay2/layerdb", "overlay2/l", "containers", "volumes" })
            Directory.CreateDirectory(Path.Combine(tmp.Path, d));
        var store = DockerStore.Open(tmp.Path);
        Assert.Empty(store.Images);
        Assert.Empty(store.Containers);
        Assert.Empty(store.Layers);
        Assert.Empty(StoreCheck.Run(store));
        Assert.Empty(store.FindImages("app"));
    }

    [Fact]
    public void A_broken_repositories_json_is_reported_not_thrown()
    {
        using var tmp = new TempDir("ovlps-badrepos");
        SyntheticStore.Write(tmp.Path, images: 1, depth: 2);
        File.WriteAllText(ReposPath(tmp.Path), "{\"Repositories\":{\"img0\":{\"img0:latest\":");
        var store = DockerStore.Open(tmp.Path);
        var img = Assert.Single(store.Images);
        Assert.Empty(img.Tags);
        Assert.Equal(StoreProblem.Unparsable, Assert.Single(StoreCheck.Run(store)).Problem);

        // Values that are not strings are skipped, the rest read.
        File.WriteAllText(ReposPath(tmp.Path), $"{{\"Repositories\":{{\"img0\":{{\"img0:a\":null,\"img0:b\":7,\"img0:c\":\"{img.Id}\"}},\"x\":[]}}}}");
        Assert.Equal(new[] { "img0:c" }, Assert.Single(DockerStore.Open(tmp.Path).Images).Tags);
    }

    [Fact]
    public void Metadata_files_of_the_wrong_shape_are_reported_not_thrown()
    {
        using var tmp = new TempDir("ovlps-shapes");
        SyntheticStore.Write(tmp.Path, images: 1, depth: 2);
        var content = Path.Combine(tmp.Path, "image/overlay2/imagedb/content/sha256");
        File.WriteAllText(Path.Combine(content, new string('1', 64)), "{\"rootfs\":{\"diff_ids\":[1]}}");
        File.WriteAllText(Path.Combine(content, new string('2', 64)), "[]");
        File.WriteAllText(Path.Combine(content, new string('3', 64)), "{\"rootfs\":7,\"history\":[1]}");
        foreach (var (id, json) in new[] { ("a", "null"), ("b", "{\"State\":5,\"Name\":3}"), ("c", "") })
        {
            Directory.CreateDirectory(Path.Combine(tmp.Path, "containers", new string(id[0], 64)));
            File.WriteAllText(Path.Combine(tmp.Path, "containers", new string(id[0], 64), "config.v2.json"), json);
        }
        var store = DockerStore.Open(tmp.Path);
        Assert.Single(store.Images);
        var b = Assert.Single(store.Containers);
        Assert.Equal("unknown", b.State);
        Assert.Equal(new string('b', 12), b.Name);
        Assert.Equal(5, store.ReadProblems.Count);     // 3 image configs, containers a and c
        var found = StoreCheck.Run(store).Select(f => f.Problem).ToList();
        Assert.Equal(Enumerable.Repeat(StoreProblem.Unparsable, 5).Append(StoreProblem.MissingContainerLayer), found);
    }

    [Fact]
    public void An_image_of_no_layers_has_an_empty_history_and_a_clear_error_for_a_view()
    {
        using var tmp = new TempDir("ovlps-nolayers");
        SyntheticStore.Write(tmp.Path, images: 1, depth: 0);     // FROM scratch + LABEL: no diff_ids
        var store = DockerStore.Open(tmp.Path);
        var img = Assert.Single(store.Images);
        Assert.Empty(img.Layers);
        Assert.True(img.IsComplete);
        Assert.Empty(PathHistory.Of(new BaseFirst<DockerLayer>(img.Layers.OfType<DockerLayer>()), "/etc/motd"));
        Assert.Equal(0, WastedSpace.Measure(img).WastedBytes);
        Assert.Contains("has no layers", Assert.Throws<InvalidDataException>(() => store.ImageStack(img)).Message);
        Assert.Empty(StoreCheck.Run(store));
    }

    [SkippableFact]
    public void A_dir_inside_a_data_root_names_the_root_to_pass()
    {
        var root = _fx.Root;
        foreach (var inside in new[] { "overlay2", "image/overlay2", "image/overlay2/layerdb", "containers" })
        {
            var e = Assert.Throws<UnsupportedStoreException>(() => DockerStore.Open(Path.Combine(root, inside)));
            Assert.Equal(StoreKind.Unknown, e.Kind);
            Assert.Contains($"inside the Docker data root '{root}'", e.Message);
        }
    }

    [SkippableFact]
    public void Who_owns_a_path_works_through_a_symlinked_data_root()
    {
        var root = _fx.Root;
        var store = DockerStore.Open(root);
        var rw = Assert.Single(store.FindContainers("c-ran")).RwLayer!;
        var link = Path.Combine(_fx.ScratchDir("symlinked-root"), "docker");
        File.CreateSymbolicLink(link, root);
        // Store opened through the link, path given by the real name; and the other way round.
        Assert.Equal(rw.CacheId, DockerStore.Open(link).LayerOwningPath(Path.Combine(rw.DiffPath, "etc"))?.CacheId);
        Assert.Equal(rw.CacheId, store.LayerOwningPath(Path.Combine(link, "overlay2", rw.CacheId, "diff", "etc"))?.CacheId);
        Assert.Null(store.LayerOwningPath(Path.GetDirectoryName(root)!));
        Assert.Null(store.LayerOwningPath("/etc/passwd"));
    }

    static void Sh(string dir, string command)
    {
        var psi = new ProcessStartInfo("sh", new[] { "-c", command }) { WorkingDirectory = dir, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"'{command}' failed ({p.ExitCode}): {err}");
    }
}
