using OverlayPS.Core.Layers;

namespace OverlayPS.Core.Docker;

/// <summary>One step of an image's history, with the layer it made (none for empty_layer steps).</summary>
public sealed record ImageHistoryStep(
    int Index,
    DateTime? Created,
    string? CreatedBy,
    string? Comment,
    bool EmptyLayer)
{
    /// <summary>The image this step produced, as <c>docker history</c> pairs them: the image
    /// itself for the newest step, then its parent, and so on ("&lt;missing&gt;" when not local).</summary>
    public string? ImageId { get; internal set; }

    /// <summary>The overlay2 dir id of the layer this step made.</summary>
    public string? LayerId => Layer?.CacheId;
    public long Size => Layer?.Size ?? 0;

    internal DockerLayer? Layer { get; init; }
    public DockerLayer? GetLayer() => Layer;

    public override string ToString() => CreatedBy ?? Comment ?? "";
}

/// <summary>
/// An image of the store: its config, tags and layer stack (bottom first). Plain data: layers
/// are named by whole overlay2 dir id (<see cref="GetLayers"/> gives the objects), so one image
/// serializes to a few KB with no nesting beyond its history steps.
/// </summary>
public sealed class DockerImage
{
    /// <summary>The store root this image was read from.</summary>
    public required string Store { get; init; }
    /// <summary>What kind of store it came from.</summary>
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace it belongs to; null for other stores.</summary>
    public string? Namespace { get; init; }
    public required string Id { get; init; }
    public string ShortId => Digests.Short(Id);
    /// <summary>"repo:tag" references, in docker's short form ("debian:12", "localhost:5000/team/app:1").</summary>
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    /// <summary>"repo@sha256:..." references (a pull by tag or digest records one).</summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = Array.Empty<string>();
    public DateTime? Created { get; init; }
    public string? Parent { get; init; }
    public string? Os { get; init; }
    public string? Architecture { get; init; }
    public IReadOnlyList<string> DiffIds { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> ChainIds { get; init; } = Array.Empty<string>();
    /// <summary>The layers' overlay2 dir ids, bottom first; null where layerdb has no entry for the ChainID.</summary>
    public IReadOnlyList<string?> LayerIds => Layers.Select(l => l?.CacheId).ToList();
    /// <summary>How many layers (the table's LayerCount column, filterable by that name).</summary>
    public int LayerCount => Layers.Count;
    /// <summary>The build steps (what <c>docker history</c> lists, oldest first). A method, not a
    /// property: it would be four fifths of a serialized image.</summary>
    public IReadOnlyList<ImageHistoryStep> GetHistory() => History;
    internal IReadOnlyList<ImageHistoryStep> History { get; set; } = Array.Empty<ImageHistoryStep>();
    /// <summary>Untagged and some other image has it as parent (a legacy-builder step).</summary>
    public bool IsIntermediate { get; internal set; }
    /// <summary>Untagged and not a parent: what <c>docker images -f dangling=true</c> lists.</summary>
    public bool IsDangling { get; internal set; }
    public List<string> Containers { get; } = new();
    /// <summary>The sum of its layers' sizes in bytes (docker image inspect's Size), plus the
    /// metadata files a store counts in it (podman: config, manifests, signatures).</summary>
    public long Size => Layers.Sum(l => l?.Size ?? 0) + MetadataSize;
    /// <summary>Bytes of the image's own metadata files the store counts in its size (podman's
    /// big-data files); 0 for Docker, whose image size is its layers'.</summary>
    public long MetadataSize { get; init; }
    /// <summary>A tag, else a repo digest, else the short id.</summary>
    public string Name => Tags.Count > 0 ? Tags[0] : RepoDigests.Count > 0 ? RepoDigests[0] : ShortId;
    public bool IsComplete => Layers.All(l => l is not null && l.Exists);

    /// <summary>The layers bottom first; null where layerdb has no entry for the ChainID.</summary>
    internal BaseFirst<DockerLayer?> Layers { get; init; } = BaseFirst<DockerLayer?>.Empty;
    public BaseFirst<DockerLayer?> GetLayers() => Layers;

    public override string ToString() => Name;
}
