namespace OverlayPS.Core.Containerd;

/// <summary>An image of a namespace (meta.db v1/&lt;ns&gt;/images/&lt;name&gt;): its name and the
/// descriptor it points at (a manifest, or an index of manifests).</summary>
public sealed record ContainerdImageRecord(
    string Name, string? TargetDigest, string? TargetMediaType, long? TargetSize,
    DateTime? Created, DateTime? Updated, IReadOnlyDictionary<string, string> Labels);

/// <summary>A container of a namespace (v1/&lt;ns&gt;/containers/&lt;id&gt;): the image it was made
/// from and the snapshot key of its root filesystem.</summary>
public sealed record ContainerdContainerRecord(
    string Id, string? Image, string? SnapshotKey, string? Snapshotter, string? Runtime,
    DateTime? Created, DateTime? Updated, IReadOnlyDictionary<string, string> Labels);

/// <summary>A snapshot key of a namespace (v1/&lt;ns&gt;/snapshots/overlayfs/&lt;key&gt;): the
/// snapshotter's own name for it (the backend name) and its parent key.</summary>
public sealed record ContainerdSnapshotKey(
    string Key, string? BackendName, string? Parent, DateTime? Created, IReadOnlyDictionary<string, string> Labels);

/// <summary>containerd's snapshot kinds (snapshots.Kind).</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum SnapshotKind
{
    Unknown = 0,
    /// <summary>A read-only view (ctr snapshots view): lowers only, no upper.</summary>
    View = 1,
    /// <summary>A writable snapshot: a container's root filesystem, or one being unpacked.</summary>
    Active = 2,
    /// <summary>A read-only committed snapshot: an image layer (keyed by its ChainID) or a commit.</summary>
    Committed = 3,
}

/// <summary>A snapshot of the overlayfs snapshotter (its metadata.db v1/snapshots/&lt;name&gt;):
/// the numeric id naming its dir <c>snapshots/&lt;id&gt;</c>, kind, parent backend name, and
/// for committed ones the usage containerd recorded at commit.</summary>
public sealed record BackendSnapshot(
    string Name, ulong? Id, SnapshotKind Kind, string? Parent, long? Size, long? Inodes, DateTime? Created);
