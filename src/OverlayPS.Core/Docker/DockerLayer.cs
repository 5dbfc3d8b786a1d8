using OverlayPS.Core.Layers;

namespace OverlayPS.Core.Docker;

/// <summary>What an overlay2 dir is for.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum LayerKind
{
    /// <summary>A read-only image layer recorded in layerdb/sha256.</summary>
    Image,
    /// <summary>A container's read-write layer (layerdb/mounts/&lt;id&gt;/mount-id).</summary>
    Container,
    /// <summary>A container's init layer (<c>&lt;mount-id&gt;-init</c>: /etc/hosts, /.dockerenv...).</summary>
    Init,
    /// <summary>An overlay2 dir that no layerdb entry or container mount names.</summary>
    Unreferenced,
    /// <summary>An overlay2 dir BuildKit made for a build step and no layerdb entry names: build
    /// cache, recorded in BuildKit's own database under <c>buildkit/</c> (moby
    /// builder-next/adapters/snapshot: the graph driver dir is named by the BuildKit snapshot
    /// key, a 25-character base-36 id, not a 64-hex cache id). <c>docker builder prune</c> removes it.</summary>
    BuildCache,
    /// <summary>A containerd snapshot no container uses: active or a view, made by
    /// <c>ctr snapshots prepare/view</c>, a build or an unpack in progress.</summary>
    Snapshot,
}

/// <summary>
/// One overlay2 layer dir and everything the store says about it. Position is 1 for a base
/// layer and grows upwards; for image layers it is the same in every image that uses the
/// layer, because a ChainID fixes the whole chain below it.
/// </summary>
public sealed class DockerLayer
{
    /// <summary>The store root this layer was read from.</summary>
    public required string Store { get; init; }
    /// <summary>What kind of store it came from.</summary>
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace it belongs to; null for other stores.</summary>
    public string? Namespace { get; init; }
    /// <summary>The containerd snapshot key (a ChainID for an image layer, the container id for
    /// a container's); null for other stores.</summary>
    public string? SnapshotKey { get; init; }
    public required string CacheId { get; init; }
    public required LayerKind Kind { get; init; }
    public string? LinkId { get; init; }
    public int Position { get; internal set; }
    public string? DiffId { get; init; }
    public string? ChainId { get; init; }
    /// <summary>For an image layer: the parent's ChainID. For an init layer: the image's top
    /// ChainID. For a container layer: its init layer's cache id.</summary>
    public string? Parent { get; init; }
    /// <summary>The lower dirs of this layer's mount, topmost first, as overlay2 cache ids
    /// (resolved through l/); a link that resolves nowhere is kept as "l/&lt;name&gt;".</summary>
    public TopmostFirst<string> Lowers { get; init; } = TopmostFirst<string>.Empty;
    /// <summary>layerdb's size in bytes (of the layer's files), or the measured size.</summary>
    public long? Size { get; internal set; }
    public bool SizeMeasured { get; internal set; }
    public string? CreatedBy { get; internal set; }
    public string? Comment { get; internal set; }
    public DateTime? Created { get; internal set; }
    /// <summary>Top-level images (tagged or dangling) whose stack holds this layer: a tag or short id.</summary>
    public List<string> Images { get; } = new();
    public List<string> ImageIds { get; } = new();
    /// <summary>Containers stacked on it (names).</summary>
    public List<string> Containers { get; } = new();
    public required string Path { get; init; }
    public string DiffPath => System.IO.Path.Combine(Path, DiffDirName);
    /// <summary>The layer's files under <see cref="Path"/>: diff (overlay2, containers-storage) or fs (containerd).</summary>
    internal string DiffDirName { get; init; } = "diff";
    public bool Exists { get; init; }
    /// <summary>The store it was read from: its diff dir is opened through the store's held root.</summary>
    internal Stores.ImageStore? Owner { get; init; }

    /// <summary>The diff dir, opened beneath the store root and never through a link (see
    /// <see cref="Stores.ImageStore.OpenDiff"/>); null when the layer has none.</summary>
    internal Posix.DirHandle? OpenDiff() => Owner is null
        ? throw new InvalidOperationException($"Layer {CacheId} belongs to no store.")
        : Owner.OpenDiff(this);

    public override string ToString() => CacheId;
}
