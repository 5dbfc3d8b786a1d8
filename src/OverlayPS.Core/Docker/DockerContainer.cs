using OverlayPS.Core.Layers;

namespace OverlayPS.Core.Docker;

/// <summary>
/// A container of the store: its config and its layers. Plain data for PowerShell: the layers
/// and the image are named by whole id (and reached with the Get* methods), so ConvertTo-Json,
/// Export-Clixml and remoting carry a small, flat object; Store names where it came from, so a
/// piped or deserialized container finds its store again.
/// </summary>
public sealed class DockerContainer
{
    /// <summary>The store root this container was read from.</summary>
    public required string Store { get; init; }
    /// <summary>What kind of store it came from.</summary>
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace it belongs to; null for other stores.</summary>
    public string? Namespace { get; init; }
    public required string Id { get; init; }
    public string ShortId => Digests.Short(Id);
    public required string Name { get; init; }
    public string? ImageId { get; init; }
    /// <summary>What the user named at create (config.Image), else the image's tag.</summary>
    public string? Image { get; init; }
    public required string State { get; init; }
    public int ExitCode { get; init; }
    public DateTime? Created { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public string? Driver { get; init; }
    /// <summary>Volume and bind mount destinations (their content is not in the layers).</summary>
    public IReadOnlyList<string> MountPoints { get; init; } = Array.Empty<string>();

    /// <summary>The read-write layer's overlay2 dir id (layerdb/mounts/&lt;id&gt;/mount-id).</summary>
    public string? RwLayerId => RwLayer?.CacheId;
    /// <summary>The init layer's overlay2 dir id.</summary>
    public string? InitLayerId => InitLayer?.CacheId;
    /// <summary>Every layer of the container, bottom first: image layers, init, read-write
    /// (what Get-OverlayLayer gives for it), as overlay2 dir ids.</summary>
    public IReadOnlyList<string> LayerIds => GetLayers().Select(l => l.CacheId).ToList();

    internal DockerLayer? RwLayer { get; set; }
    internal DockerLayer? InitLayer { get; set; }
    internal DockerImage? ImageObject { get; set; }
    /// <summary>The read-only image layers the container was created on, bottom first, from its
    /// mount's parent ChainID; null when layerdb/mounts names none (then the image's layers).</summary>
    internal BaseFirst<DockerLayer>? ImageLayers { get; set; }

    /// <summary>Why there is no read-write layer, for an error message; null when there is one.
    /// A container made by another storage driver (Docker 29+'s containerd image store says
    /// "overlayfs") has no layerdb/mounts entry in an overlay2 store.</summary>
    public string? NoRwLayerReason => RwLayer is not null ? null
        : StoreKind == StoreKind.DockerOverlay2 && Driver is { Length: > 0 } d && d != "overlay2"
        ? $"Container {Name} uses the '{d}' storage driver{(d == "overlayfs" ? " (the containerd image store, Docker 29+)" : "")}, not overlay2: its layers are not in this store."
        : $"Container {Name} has no usable read-write layer in {(StoreKind == StoreKind.Podman ? "overlay-layers/layers.json" : "layerdb/mounts")} (missing, or refused as unsafe: run Test-OverlayStore).";

    /// <summary>Bytes in the read-write layer once measured (-MeasureSize), as docker ps -s shows.</summary>
    public long? SizeRw => RwLayer is { SizeMeasured: true } rw ? rw.Size : null;

    public DockerLayer? GetRwLayer() => RwLayer;
    public DockerLayer? GetInitLayer() => InitLayer;
    public DockerImage? GetImage() => ImageObject;

    /// <summary>Read-only lowers below the read-write layer, topmost first: init then the image's
    /// layers top to bottom, exactly the container's lowerdir=.</summary>
    internal TopmostFirst<DockerLayer> LowerLayers
    {
        get
        {
            var list = new List<DockerLayer>();
            if (InitLayer is not null) list.Add(InitLayer);
            if (ImageLayers is not null)
                list.AddRange(ImageLayers.ToTopmostFirst());
            else if (ImageObject is not null)
                list.AddRange(ImageObject.Layers.ToTopmostFirst().OfType<DockerLayer>());
            return new(list);
        }
    }

    public TopmostFirst<DockerLayer> GetLowerLayers() => LowerLayers;

    /// <summary>Every layer bottom first: the image's, init, read-write.</summary>
    public BaseFirst<DockerLayer> GetLayers() =>
        new(LowerLayers.ToBaseFirst().Concat(RwLayer is null ? Array.Empty<DockerLayer>() : new[] { RwLayer }));

    public override string ToString() => Name;
}
