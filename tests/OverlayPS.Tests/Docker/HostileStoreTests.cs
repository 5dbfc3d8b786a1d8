using OverlayPS.Core.Layers;
using Native = Mono.Unix.Native;
using OverlayPS.Core.Docker;
using OverlayPS.Tests.Confinement;

namespace OverlayPS.Tests.Docker;

/// <summary>
/// Stores crafted by someone who can write inside the store (issue 11, case 4), each a private
/// copy of the fixture: ids that climb out of overlay2/, layer dirs that are symlinks to host
/// dirs, a FIFO and /dev/zero where small files belong, files larger than docker writes. The
/// reader must report each (Test-OverlayStore) and refuse to use it, and nothing outside the
/// store may show up in any view: the host canaries' names never appear. Every read runs with
/// a time bound, so a reader that blocks fails the test instead of hanging the run.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class HostileStoreTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    readonly DockerFixture _fx;
    public HostileStoreTests(DockerFixture fx) => _fx = fx;

    /// <summary>Runs <paramref name="read"/> on another thread; fails if it does not finish in
    /// <see cref="Bound"/> (a blocked open of a FIFO, an endless read of /dev/zero).</summary>
    static T Bounded<T>(Func<T> read)
    {
        var task = Task.Run(read);
        Assert.True(task.Wait(Bound), $"the store reader did not finish within {Bound.TotalSeconds} s");
        return task.Result;
    }

    static string LayerDbDir(string root, DockerLayer layer) =>
        Path.Combine(root, "image/overlay2/layerdb/sha256", Digests.Hex(layer.ChainId!));

    static string MountDir(string root, DockerContainer c) =>
        Path.Combine(root, "image/overlay2/layerdb/mounts", c.Id);

    /// <summary>A host dir shaped like a layer dir: diff/ holding a canary file.</summary>
    static string HostLayerDir(HostSentinel host)
    {
        var dir = Path.Combine(host.Path, "layer");
        Directory.CreateDirectory(Path.Combine(dir, "diff"));
        File.WriteAllText(Path.Combine(dir, "diff", "canary-from-host"), HostSentinel.FileText);
        return dir;
    }

    [SkippableFact]
    public void Ids_that_climb_out_of_overlay2_are_findings_and_never_paths()
    {
        var root = _fx.UnpackCopy("hostile-ids");
        var before = DockerStore.Open(root);
        var app = Assert.Single(before.FindImages("app:1.0"));
        var ran = Assert.Single(before.FindContainers("c-ran"));
        using var host = new HostSentinel();
        var hostLayer = HostLayerDir(host);
        var climb = string.Concat(Enumerable.Repeat("../", 30)) + hostLayer.TrimStart('/');
        var o2 = Path.Combine(root, "overlay2");
        // cache-id of app's top layer, mount-id of c-ran: both name the host dir through "..".
        File.WriteAllText(Path.Combine(LayerDbDir(root, app.Layers[^1]!), "cache-id"), climb);
        File.WriteAllText(Path.Combine(MountDir(root, ran), "mount-id"), "../..");
        // A lower entry and a link file that are not l/ names.
        var lowerOf = Path.Combine(o2, app.Layers[^2]!.CacheId, "lower");
        File.WriteAllText(lowerOf, "l/../../" + climb + ":" + File.ReadAllText(lowerOf));
        File.WriteAllText(Path.Combine(o2, app.Layers[0]!.CacheId, "link"), "../" + climb);
        var fingerprint = host.Fingerprint();

        var store = Bounded(() => DockerStore.Open(root));
        Assert.All(store.Layers, l => Assert.DoesNotContain("/", l.CacheId));
        Assert.All(store.Layers, l => Assert.All(l.Lowers, id => Assert.DoesNotContain("..", id)));
        var image = Assert.Single(store.FindImages("app:1.0"));
        Assert.Null(image.Layers[^1]);          // the layer is unusable: missing, not the host dir
        Assert.Throws<InvalidDataException>(() => store.ImageStack(image));
        Assert.Empty(PathHistory.Of(new BaseFirst<DockerLayer>(image.Layers.OfType<DockerLayer>()), "/canary-from-host"));
        var c = Assert.Single(store.FindContainers("c-ran"));
        Assert.Null(c.RwLayer);
        Assert.Throws<InvalidDataException>(() => store.ContainerStack(c));
        foreach (var l in store.Layers.Where(l => l.Exists))
            Assert.DoesNotContain(store.GetChanges(l).Changes, ch => ch.Path.Contains("canary-from-host"));

        var findings = StoreCheck.Run(store);
        var found = findings.Where(f => f.Problem == StoreProblem.UnsafeId).Select(f => f.Path).Order(StringComparer.Ordinal);
        Assert.Equal(new[]
        {
            Path.Combine(MountDir(root, ran), "mount-id"),
            Path.Combine(LayerDbDir(root, app.Layers[^1]!), "cache-id"),
            Path.Combine(o2, app.Layers[0]!.CacheId, "link"),
            lowerOf,
        }.Order(StringComparer.Ordinal), found);
        // Reported once, as unsafe: not also as a file that is missing.
        Assert.DoesNotContain(findings, f => f.Problem is StoreProblem.IncompleteLayerDbEntry
            or StoreProblem.MissingLink or StoreProblem.MissingContainerLayer);
        Assert.Equal(fingerprint, host.Fingerprint());
    }

    [SkippableFact]
    public void A_layer_dir_that_is_a_symlink_to_a_host_dir_is_refused_in_every_view()
    {
        var root = _fx.UnpackCopy("hostile-diff");
        var before = DockerStore.Open(root);
        var ran = Assert.Single(before.FindContainers("c-ran"));
        var app = Assert.Single(before.FindImages("app:1.0"));
        using var host = new HostSentinel();
        var hostLayer = HostLayerDir(host);
        // c-ran's read-write diff and app's base layer diff become links to host dirs.
        var rwDiff = ran.RwLayer!.DiffPath;
        Directory.Move(rwDiff, rwDiff + ".orig");
        File.CreateSymbolicLink(rwDiff, Path.Combine(hostLayer, "diff"));
        var baseDiff = app.Layers[0]!.DiffPath;
        Directory.Move(baseDiff, baseDiff + ".orig");
        File.CreateSymbolicLink(baseDiff, Path.Combine(hostLayer, "diff"));
        var fingerprint = host.Fingerprint();

        var store = Bounded(() => DockerStore.Open(root));
        var c = Assert.Single(store.FindContainers("c-ran"));
        var image = Assert.Single(store.FindImages("app:1.0"));
        var layers = c.GetLayers();

        var e = Assert.Throws<UnsafeStoreException>(() => store.ContainerStack(c));
        Assert.Equal(StoreProblem.LinkedLayerDir, e.Problem);
        Assert.Equal(StoreProblem.LinkedLayerDir, Assert.Throws<UnsafeStoreException>(() => store.ImageStack(image)).Problem);
        Assert.Throws<UnsafeStoreException>(() => store.GetChanges(c.RwLayer!));
        Assert.Throws<UnsafeStoreException>(() => PathHistory.Of(layers, "/canary-from-host"));
        Assert.Throws<UnsafeStoreException>(() => WastedSpace.Measure(image));
        Assert.Throws<UnsafeStoreException>(() => LayerSizer.MeasureLayers(new[] { c.RwLayer! }));
        Assert.Null(c.RwLayer!.Size);

        var linked = StoreCheck.Run(store).Where(f => f.Problem == StoreProblem.LinkedLayerDir).Select(f => f.Path).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { rwDiff, baseDiff }.Order(StringComparer.Ordinal), linked);
        Assert.Equal(fingerprint, host.Fingerprint());
    }

    [SkippableFact]
    public void A_whole_overlay2_dir_that_is_a_symlink_is_not_a_layer()
    {
        var root = _fx.UnpackCopy("hostile-layerdir");
        var before = DockerStore.Open(root);
        var ran = Assert.Single(before.FindContainers("c-ran"));
        using var host = new HostSentinel();
        var hostLayer = HostLayerDir(host);
        var rw = ran.RwLayer!.Path;
        Directory.Move(rw, rw + ".orig");
        File.CreateSymbolicLink(rw, hostLayer);

        var store = Bounded(() => DockerStore.Open(root));
        var c = Assert.Single(store.FindContainers("c-ran"));
        Assert.False(c.RwLayer!.Exists);
        Assert.Throws<InvalidDataException>(() => store.ContainerStack(c));
        Assert.Throws<UnsafeStoreException>(() => store.GetChanges(c.RwLayer));
        var findings = StoreCheck.Run(store);
        Assert.Contains(findings, f => f.Problem == StoreProblem.LinkedLayerDir && f.Path == rw);
        Assert.Contains(findings, f => f.Problem == StoreProblem.MissingLayerDir && f.Subject == c.Id);
    }

    [SkippableFact]
    public void A_FIFO_where_a_lower_file_belongs_does_not_block_the_reader()
    {
        var root = _fx.UnpackCopy("hostile-fifo");
        var before = DockerStore.Open(root);
        var top = Assert.Single(before.FindImages("app:1.0")).Layers[^1]!;
        var lower = Path.Combine(top.Path, "lower");
        File.Delete(lower);
        Assert.Equal(0, Native.Syscall.mkfifo(lower, Native.FilePermissions.S_IRUSR | Native.FilePermissions.S_IWUSR));
        try
        {
            var (store, findings) = Bounded(() =>
            {
                var s = DockerStore.Open(root);
                return (s, StoreCheck.Run(s));
            });
            var f = Assert.Single(findings, f => f.Path == lower);
            Assert.Equal(StoreProblem.NotRegularFile, f.Problem);
            Assert.Contains("FIFO", f.Message);
            Assert.Empty(store.LayerByCacheId(top.CacheId)!.Lowers);
        }
        finally
        {
            // Should an old reader still be blocked in open(2), a writer lets it go.
            int fd = Native.Syscall.open(lower, Native.OpenFlags.O_WRONLY | Native.OpenFlags.O_NONBLOCK);
            if (fd >= 0) Native.Syscall.close(fd);
        }
    }

    [SkippableFact]
    public void Dev_zero_where_an_id_file_belongs_is_never_read()
    {
        var root = _fx.UnpackCopy("hostile-zero");
        var before = DockerStore.Open(root);
        var ran = Assert.Single(before.FindContainers("c-ran"));
        var mountId = Path.Combine(MountDir(root, ran), "mount-id");
        var initId = Path.Combine(MountDir(root, ran), "init-id");
        // mount-id a link to /dev/zero; init-id the device itself (char 1:5).
        File.Delete(mountId);
        File.CreateSymbolicLink(mountId, "/dev/zero");
        File.Delete(initId);
        Assert.Equal(0, Native.Syscall.mknod(initId, Native.FilePermissions.S_IFCHR | Native.FilePermissions.S_IRUSR, (ulong)((1 << 8) | 5)));

        var (store, findings) = Bounded(() =>
        {
            var s = DockerStore.Open(root);
            return (s, StoreCheck.Run(s));
        });
        Assert.Null(Assert.Single(store.FindContainers("c-ran")).RwLayer);
        var refused = findings.Where(f => f.Problem == StoreProblem.NotRegularFile).ToDictionary(f => f.Path, f => f.Message);
        Assert.Contains("symlink", refused[mountId]);
        Assert.Contains("character device", refused[initId]);
    }

    [SkippableFact]
    public void Files_larger_than_docker_writes_are_not_read()
    {
        var root = _fx.UnpackCopy("hostile-large");
        var before = DockerStore.Open(root);
        var app = Assert.Single(before.FindImages("app:1.0"));
        Assert.NotEmpty(app.Tags);
        // Valid JSON padded past 16 MiB with whitespace, and a 5 KiB link file.
        var repos = Path.Combine(root, "image/overlay2/repositories.json");
        using (var w = new StreamWriter(repos, append: true))
            w.Write(new string(' ', 17 * 1024 * 1024));
        var link = Path.Combine(app.Layers[0]!.Path, "link");
        File.WriteAllText(link, new string('A', 5 * 1024));

        var store = Bounded(() => DockerStore.Open(root));
        Assert.Empty(Assert.Single(store.Images, i => i.Id == app.Id).Tags);
        var tooLarge = StoreCheck.Run(store).Where(f => f.Problem == StoreProblem.TooLarge).Select(f => f.Path).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { repos, link }.Order(StringComparer.Ordinal), tooLarge);
    }
}
