using System.Text.Json;
using OverlayPS.Core.Containerd;
using OverlayPS.Core.Stores;

namespace OverlayPS.Tests.Containerd;

/// <summary>
/// The real containerd 1.6 store of tests/fixtures/containerd-overlayfs (namespaces default and
/// moby) unpacked once per run, as root (whiteouts are device nodes, opaque markers trusted.*
/// xattrs), with ctr's answers beside it in ground-truth/.
/// </summary>
public sealed class ContainerdFixture : IDisposable
{
    public static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "containerd-overlayfs");
    public static string TruthDir => Path.Combine(FixtureDir, "ground-truth");

    readonly TempDir _dir = new("ovlps-containerd");
    readonly Lazy<string> _root;

    public ContainerdFixture() => _root = new Lazy<string>(() => UnpackCopy("store"));

    /// <summary>The unpacked containerd root; skips (or fails in CI) without root.</summary>
    public string Root
    {
        get
        {
            RootOnly.Require("unpacking the containerd fixture (whiteouts, trusted.* xattrs)");
            return _root.Value;
        }
    }

    /// <summary>A fresh, private copy to damage.</summary>
    public string UnpackCopy(string name)
    {
        RootOnly.Require("unpacking the containerd fixture (whiteouts, trusted.* xattrs)");
        var dest = _dir.Sub(name);
        FixtureTar.Run("--xattrs", "--xattrs-include=trusted.*", "--xattrs-include=user.*", "--numeric-owner",
            "-xzf", Path.Combine(FixtureDir, "store.tar.gz"), "-C", dest);
        return Path.Combine(dest, "containerd");
    }

    public string ScratchDir(string name) => _dir.Sub(name);

    public ContainerdStore Open(string ns, string? root = null) =>
        Assert.IsType<ContainerdStore>(ImageStore.Open(root ?? Root, ns));

    public static JsonElement Json(string file) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TruthDir, file))).RootElement;

    /// <summary>ground-truth/snapshot-map.json: every snapshot key of every namespace with its
    /// backend id, kind, parent and lower ids (joined from both databases when the fixture was made).</summary>
    public static IEnumerable<JsonElement> SnapshotMap() =>
        Json("snapshot-map.json").GetProperty("namespaced_snapshots").EnumerateArray();

    /// <summary>A ctr table (images-ls.txt, containers-ls.txt...): rows split on runs of spaces.</summary>
    public static List<string[]> Table(string file) =>
        File.ReadAllLines(Path.Combine(TruthDir, file)).Skip(1).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)).ToList();

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ContainerdCollection : ICollectionFixture<ContainerdFixture>
{
    public const string Name = "containerd fixture";
}
