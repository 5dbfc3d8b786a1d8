using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Docker;

/// <summary>A store that is not a Docker overlay2 store is named, never read wrongly.</summary>
[Collection(DockerCollection.Name)]
public sealed class StoreKindTests
{
    readonly DockerFixture _fx;
    public StoreKindTests(DockerFixture fx) => _fx = fx;

    [SkippableFact]
    public void The_docker_fixture_is_overlay2()
    {
        Assert.Equal(StoreKind.DockerOverlay2, StoreKindDetector.Detect(_fx.Root, out _));
    }

    [SkippableFact]
    public void A_containerd_snapshotter_store_is_recognised_with_its_snapshot_count()
    {
        RootOnly.Require("unpacking the containerd fixture");
        var root = _fx.UnpackContainerd();
        // ground-truth/snapshot-map.txt: 17 snapshots, snapshots/1..17.
        var expected = File.ReadAllLines(Path.Combine(DockerFixture.ContainerdFixtureDir, "ground-truth", "snapshot-map.txt"))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"dir=snapshots/(\d+)")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().Count();
        Assert.Equal(17, expected);
        foreach (var dir in new[] { root, Path.Combine(root, "io.containerd.snapshotter.v1.overlayfs") })
        {
            var e = Assert.Throws<UnsupportedStoreException>(() => DockerStore.Open(dir));
            Assert.Equal(StoreKind.ContainerdOverlayfs, e.Kind);
            Assert.Contains("containerd overlayfs snapshotter store (17 snapshots", e.Message);
            Assert.Contains("not read", e.Message);
        }
    }

    [Fact]
    public void A_podman_store_is_recognised_from_the_storage_root_or_its_overlay_dir()
    {
        using var tmp = new TempDir("ovlps-podman");
        Directory.CreateDirectory(Path.Combine(tmp.Path, "overlay", "l"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "overlay-layers"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "overlay-images"));
        File.WriteAllText(Path.Combine(tmp.Path, "overlay-layers", "layers.json"), "[]");
        foreach (var dir in new[] { tmp.Path, Path.Combine(tmp.Path, "overlay") })
        {
            var e = Assert.Throws<UnsupportedStoreException>(() => DockerStore.Open(dir));
            Assert.Equal(StoreKind.Podman, e.Kind);
            Assert.Contains("containers/storage", e.Message);
        }
    }

    [Fact]
    public void Docker_roots_with_another_driver_or_the_containerd_image_store_are_named()
    {
        using var tmp = new TempDir("ovlps-kinds");
        var vfs = Path.Combine(tmp.Path, "vfs-root");
        Directory.CreateDirectory(Path.Combine(vfs, "image", "vfs", "imagedb"));
        Directory.CreateDirectory(Path.Combine(vfs, "vfs", "dir"));
        var e = Assert.Throws<UnsupportedStoreException>(() => DockerStore.Open(vfs));
        Assert.Equal(StoreKind.DockerOtherDriver, e.Kind);
        Assert.Contains("'vfs' storage driver", e.Message);

        // Docker 29+ with the containerd image store: containers/ and volumes/, no image/overlay2.
        var d29 = Path.Combine(tmp.Path, "d29");
        Directory.CreateDirectory(Path.Combine(d29, "containers"));
        Directory.CreateDirectory(Path.Combine(d29, "volumes"));
        e = Assert.Throws<UnsupportedStoreException>(() => DockerStore.Open(d29));
        Assert.Equal(StoreKind.DockerContainerdImageStore, e.Kind);

        var empty = Path.Combine(tmp.Path, "empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(StoreKind.Unknown, Assert.Throws<UnsupportedStoreException>(() => DockerStore.Open(empty)).Kind);
    }

    [Fact]
    public void A_missing_store_is_ENOENT_and_a_file_is_ENOTDIR()
    {
        using var tmp = new TempDir("ovlps-kinds");
        Assert.Equal(Errno.ENOENT,
            Assert.Throws<PosixException>(() => DockerStore.Open(Path.Combine(tmp.Path, "nope"))).Errno);
        var file = Path.Combine(tmp.Path, "file");
        File.WriteAllText(file, "");
        Assert.Equal(Errno.ENOTDIR, Assert.Throws<PosixException>(() => DockerStore.Open(file)).Errno);
    }
}
