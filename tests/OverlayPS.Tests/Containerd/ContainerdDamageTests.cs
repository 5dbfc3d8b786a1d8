using System.Runtime.InteropServices;
using System.Text;
using OverlayPS.Core.Bolt;
using OverlayPS.Core.Containerd;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;

namespace OverlayPS.Tests.Containerd;

/// <summary>Damaged, busy and unusual containerd stores, each made from a private copy of the
/// fixture: what Test-OverlayStore names, and what is refused rather than misread.</summary>
[Collection(ContainerdCollection.Name)]
public sealed class ContainerdDamageTests
{
    readonly ContainerdFixture _fx;
    public ContainerdDamageTests(ContainerdFixture fx) => _fx = fx;

    const string Snapshots = "io.containerd.snapshotter.v1.overlayfs/snapshots";
    static readonly string[] Overlayfs = { "v1", "default", "snapshots", "overlayfs" };

    [SkippableFact]
    public void Orphan_dirs_records_without_dirs_and_dangling_parents_are_named()
    {
        var root = _fx.UnpackCopy("damaged");
        Directory.CreateDirectory(Path.Combine(root, Snapshots, "99", "fs"));       // an interrupted removal
        Directory.Delete(Path.Combine(root, Snapshots, "13"), recursive: true);     // manual-active's dir
        var meta = Path.Combine(root, ContainerdStore.MetaDbRel);
        // on-custom's parent renamed, c-created's snapshot key renamed: same lengths, bolt intact.
        PatchValue(meta, Overlayfs.Append("on-custom").ToArray(), "parent", "committed-custoX");
        PatchValue(meta, new[] { "v1", "default", "containers", "c-created" }, "snapshotKey", "c-createX");

        var store = (ContainerdStore)ImageStore.Open(root, "default");
        var findings = store.Check();
        var byProblem = findings.ToLookup(f => f.Problem);
        var orphan = Assert.Single(byProblem[StoreProblem.UnreferencedDir]);
        Assert.Equal(Path.Combine(root, Snapshots, "99"), orphan.Path);
        var gone = Assert.Single(byProblem[StoreProblem.MissingLayerDir]);
        Assert.Equal("manual-active", gone.Subject);
        Assert.Contains("snapshots/13, which does not exist", gone.Message);
        var parent = Assert.Single(byProblem[StoreProblem.MissingParent]);
        Assert.Equal("on-custom", parent.Subject);
        Assert.Contains("has parent committed-custoX", parent.Message);
        var container = Assert.Single(byProblem[StoreProblem.MissingContainerLayer]);
        Assert.Equal("c-created", container.Subject);
        Assert.Equal(4, findings.Count);
        Assert.All(findings, f => Assert.Equal(StoreKind.ContainerdOverlayfs, f.StoreKind));

        // What the damage means for reading: the orphan is a layer of its own, the dangling
        // parent is an error naming it, the container has no read-write layer.
        Assert.Equal(LayerKind.Unreferenced, store.LayerOwningPath(Path.Combine(root, Snapshots, "99", "fs"))!.Kind);
        var e = Assert.Throws<InvalidDataException>(() => store.LowerLayers(store.LayerBySnapshotKey("on-custom")!));
        Assert.Contains("parent 'committed-custoX'", e.Message);
        Assert.Null(Assert.Single(store.FindContainers("c-created")).GetRwLayer());
    }

    [SkippableFact]
    public void An_image_whose_layer_snapshot_is_gone_is_incomplete_and_named()
    {
        var root = _fx.UnpackCopy("nolayer");
        const string top = "sha256:460241c67bf20267f87982eb3bae5c89bd20b53f2bdf86a4edf77a1165def796";
        PatchKey(Path.Combine(root, ContainerdStore.MetaDbRel), Overlayfs, top, top[..^1] + "0");
        var store = (ContainerdStore)ImageStore.Open(root, "default");
        var app = Assert.Single(store.FindImages("fixture/app:1.0"));
        Assert.False(app.IsComplete);
        Assert.Null(app.GetLayers()[3]);
        var missing = Assert.Single(store.Check(), f => f.Problem == StoreProblem.MissingImageLayer);
        Assert.Contains($"needs layer {top} (position 4)", missing.Message);
        Assert.Throws<InvalidDataException>(() => store.OpenImage(app));
    }

    [SkippableFact]
    public void A_truncated_metadata_database_is_a_format_error_naming_the_file()
    {
        var root = _fx.UnpackCopy("truncated");
        var meta = Path.Combine(root, ContainerdStore.MetaDbRel);
        var bytes = File.ReadAllBytes(meta);
        File.WriteAllBytes(meta, bytes[..(bytes.Length / 3)]);
        var e = Assert.Throws<BoltFormatException>(() => ImageStore.Open(root, null));
        Assert.Equal(meta, e.File);
        Assert.Contains("truncated", e.Message);
    }

    [SkippableFact]
    public void A_store_whose_databases_containerd_holds_locked_is_still_read()
    {
        // containerd holds an exclusive flock on both databases while it runs (bbolt's
        // Open); .NET's FileShare.None takes the same advisory lock.
        using var meta = new FileStream(Path.Combine(_fx.Root, ContainerdStore.MetaDbRel), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        using var snaps = new FileStream(Path.Combine(_fx.Root, ContainerdStore.SnapshotterDbRel), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.Throws<IOException>(() => new FileStream(Path.Combine(_fx.Root, ContainerdStore.MetaDbRel), FileMode.Open, FileAccess.Read, FileShare.None).Dispose());
        Assert.Equal(2, _fx.Open("default").Images.Count);
    }

    [SkippableFact]
    public void A_blob_that_does_not_match_its_digest_is_not_used()
    {
        var root = _fx.UnpackCopy("tampered");
        // fixture/base:1.0's config (ground-truth/expected-oci.json).
        var config = Path.Combine(root, ContentBlobs.Rel.Replace('/', Path.DirectorySeparatorChar), "e893d0637b83b87ef8755976a3af6d2829110b48bbdc21e0230f0c6c807e9d1d");
        File.AppendAllText(config, " ");
        var store = (ContainerdStore)ImageStore.Open(root, "default");
        var img = Assert.Single(store.FindImages("fixture/base:1.0"));
        Assert.Empty(img.DiffIds);
        Assert.Contains(store.ReadProblems, p => p.Contains("does not hash to its name sha256:e893d0637b83"));
        Assert.Contains(store.Check(), f => f.Problem == StoreProblem.Unparsable && f.Message.Contains("does not hash"));
    }

    [SkippableFact]
    public void An_index_is_narrowed_to_the_host_platforms_manifest()
    {
        var root = _fx.UnpackCopy("index");
        // An index: arm64 -> base's manifest, amd64 -> app's. fixture/app:1.0 is pointed at it.
        var index = Encoding.UTF8.GetBytes("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:29d7e65464a2882e1e920aa8d1c4c32cdaa4862715d5d0fbb50948e93e75ed39","size":483,"platform":{"architecture":"arm64","os":"linux"}},
            {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:9e6250736fd0cdcec6a621cacf8c030b00a0dc6ac0d94180a83f6d90a424f797","size":943,"platform":{"architecture":"amd64","os":"linux"}}]}
            """);
        var digest = Digests.Sha256(index);
        File.WriteAllBytes(Path.Combine(root, ContentBlobs.Rel, Digests.Hex(digest)), index);
        PatchValue(Path.Combine(root, ContainerdStore.MetaDbRel), new[] { "v1", "default", "images", "docker.io/fixture/app:1.0", "target" }, "digest", digest);

        var amd64 = ContainerdStore.Open(root, StoreKind.ContainerdOverlayfs, "", "default", "amd64");
        var app = Assert.Single(amd64.FindImages("fixture/app:1.0"));
        Assert.Equal(digest, app.Id);
        Assert.Equal(4, app.LayerCount);
        Assert.True(app.IsComplete);

        var arm64 = ContainerdStore.Open(root, StoreKind.ContainerdOverlayfs, "", "default", "arm64");
        Assert.Equal(1, Assert.Single(arm64.FindImages("fixture/app:1.0")).LayerCount);   // base's one layer

        var s390x = ContainerdStore.Open(root, StoreKind.ContainerdOverlayfs, "", "default", "s390x");
        Assert.Equal(0, Assert.Single(s390x.FindImages("fixture/app:1.0")).LayerCount);
        Assert.Contains(s390x.ReadProblems, p => p.Contains("has no manifest for linux/s390x"));
    }

    [SkippableFact]
    public void A_snapshot_fs_swapped_for_a_symlink_is_refused_not_followed()
    {
        var root = _fx.UnpackCopy("linked");
        var fs = Path.Combine(root, Snapshots, "1", "fs");
        Directory.Delete(fs, recursive: true);
        File.CreateSymbolicLink(fs, "/");
        var store = (ContainerdStore)ImageStore.Open(root, "default");
        var e = Assert.Throws<UnsafeStoreException>(() => store.OpenImage(Assert.Single(store.FindImages("fixture/base:1.0"))));
        Assert.Equal(StoreProblem.LinkedLayerDir, e.Problem);
    }

    /// <summary>Rewrites a value in a bbolt file in place (same length: pages stay intact).</summary>
    static void PatchValue(string db, string[] bucket, string key, string value)
    {
        var bytes = File.ReadAllBytes(db);
        var b = BoltDb.Parse(bytes, db).Root.Path(bucket) ?? throw new InvalidOperationException(string.Join("/", bucket));
        Overwrite(bytes, b.Value(key)!.Value, value);
        File.WriteAllBytes(db, bytes);
    }

    static void PatchKey(string db, string[] bucket, string key, string newKey)
    {
        var bytes = File.ReadAllBytes(db);
        var b = BoltDb.Parse(bytes, db).Root.Path(bucket)!;
        Overwrite(bytes, b.Find(key)!.Value.Key, newKey);
        File.WriteAllBytes(db, bytes);
    }

    static void Overwrite(byte[] bytes, ReadOnlyMemory<byte> slice, string text)
    {
        Assert.True(MemoryMarshal.TryGetArray(slice, out var seg));
        var b = Encoding.UTF8.GetBytes(text);
        Assert.Equal(seg.Count, b.Length);
        b.CopyTo(bytes, seg.Offset);
    }
}
