using OverlayPS.Core.Bolt;

namespace OverlayPS.Core.Containerd;

/// <summary>
/// What containerd's metadata database (io.containerd.metadata.v1.bolt/meta.db) says about one
/// namespace: images, containers and the snapshot keys of the overlayfs snapshotter
/// (containerd metadata/buckets.go: v1/&lt;namespace&gt;/{images,containers,snapshots/&lt;snapshotter&gt;,content}).
/// </summary>
public sealed class ContainerdMetadata
{
    public const string Snapshotter = "overlayfs";

    public IReadOnlyList<string> Namespaces { get; }
    public string Namespace { get; }
    public IReadOnlyList<ContainerdImageRecord> Images { get; }
    public IReadOnlyList<ContainerdContainerRecord> Containers { get; }
    public IReadOnlyDictionary<string, ContainerdSnapshotKey> SnapshotKeys { get; }

    public ContainerdMetadata(BoltDb db, string ns)
    {
        var v1 = db.Root.Bucket("v1");
        Namespaces = v1?.Buckets.Select(b => b.Name).ToList() ?? new List<string>();
        Namespace = ns;
        var root = v1?.Bucket(ns);

        var images = new List<ContainerdImageRecord>();
        foreach (var (name, b) in root?.Bucket("images")?.Buckets ?? Enumerable.Empty<(string, BoltBucket)>())
        {
            var target = b.Bucket("target");
            images.Add(new ContainerdImageRecord(name,
                BoltValues.String(target, "digest"), BoltValues.String(target, "mediatype"), BoltValues.Varint(target, "size"),
                BoltValues.Time(b, "createdat"), BoltValues.Time(b, "updatedat"), BoltValues.Labels(b)));
        }
        Images = images;

        var containers = new List<ContainerdContainerRecord>();
        foreach (var (id, b) in root?.Bucket("containers")?.Buckets ?? Enumerable.Empty<(string, BoltBucket)>())
            containers.Add(new ContainerdContainerRecord(id,
                BoltValues.String(b, "image"), BoltValues.String(b, "snapshotKey"), BoltValues.String(b, "snapshotter"),
                BoltValues.String(b.Bucket("runtime"), "name"),
                BoltValues.Time(b, "createdat"), BoltValues.Time(b, "updatedat"), BoltValues.Labels(b)));
        Containers = containers;

        var keys = new Dictionary<string, ContainerdSnapshotKey>(StringComparer.Ordinal);
        foreach (var (key, b) in root?.Path("snapshots", Snapshotter)?.Buckets ?? Enumerable.Empty<(string, BoltBucket)>())
            keys[key] = new ContainerdSnapshotKey(key, BoltValues.String(b, "name"), BoltValues.String(b, "parent"),
                BoltValues.Time(b, "createdat"), BoltValues.Labels(b));
        SnapshotKeys = keys;
    }
}

/// <summary>
/// What the overlayfs snapshotter's own database (io.containerd.snapshotter.v1.overlayfs/
/// metadata.db, containerd snapshots/storage/bolt.go) says: v1/snapshots/&lt;backend name&gt;
/// holds id (uvarint), kind (one byte), parent (backend name), size and inodes (varints, for
/// committed snapshots). The number inside a backend name is a sequence of meta.db, not the id.
/// </summary>
public sealed class SnapshotterMetadata
{
    public IReadOnlyDictionary<string, BackendSnapshot> Snapshots { get; }

    public SnapshotterMetadata(BoltDb db)
    {
        var snaps = new Dictionary<string, BackendSnapshot>(StringComparer.Ordinal);
        foreach (var (name, b) in db.Root.Path("v1", "snapshots")?.Buckets ?? Enumerable.Empty<(string, BoltBucket)>())
        {
            var kind = b.Value("kind") is { Length: 1 } k && k.Span[0] is >= 1 and <= 3 ? (SnapshotKind)k.Span[0] : SnapshotKind.Unknown;
            snaps[name] = new BackendSnapshot(name, BoltValues.Uvarint(b, "id"), kind, BoltValues.String(b, "parent"),
                BoltValues.Varint(b, "size"), BoltValues.Varint(b, "inodes"), BoltValues.Time(b, "createdat"));
        }
        Snapshots = snaps;
    }
}
