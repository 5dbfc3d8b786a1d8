using System.Text.Json;

namespace OverlayPS.Tests.Bolt;

/// <summary>
/// The two bbolt files of tests/fixtures/containerd-overlayfs (containerd 1.6's meta.db and the
/// overlayfs snapshotter's metadata.db), taken out of the store tarball once per run (plain
/// files: no root needed), with the fixture's full decoded dumps of them beside.
/// </summary>
public static class BoltFiles
{
    public const string MetaDb = "io.containerd.metadata.v1.bolt/meta.db";
    public const string SnapshotterDb = "io.containerd.snapshotter.v1.overlayfs/metadata.db";

    static readonly Lazy<string> Dir = new(Extract);

    static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "containerd-overlayfs");

    public static byte[] Bytes(string rel) => File.ReadAllBytes(Path.Combine(Dir.Value, "containerd", rel));

    /// <summary>The fixture's dump of a file: meta.db.json or overlayfs-metadata.db.json.</summary>
    public static JsonElement Dump(string rel) => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "ground-truth",
        rel == MetaDb ? "meta.db.json" : "overlayfs-metadata.db.json"))).RootElement;

    static string Extract()
    {
        var dest = Path.Combine(Path.GetTempPath(), $"ovlps-bolt-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dest);
        FixtureTar.Run("-xzf", Path.Combine(FixtureDir, "store.tar.gz"), "-C", dest,
            "containerd/" + MetaDb, "containerd/" + SnapshotterDb);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dest, recursive: true); } catch (IOException) { }
        };
        return dest;
    }
}
