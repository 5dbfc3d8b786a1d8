namespace OverlayPS.Core.Docker;

/// <summary>A container of the store: its config and its layers.</summary>
public sealed class DockerContainer
{
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
    public DockerLayer? RwLayer { get; internal set; }
    public DockerLayer? InitLayer { get; internal set; }
    public DockerImage? ImageObject { get; internal set; }
    /// <summary>The read-only image layers the container was created on, bottom first, from its
    /// mount's parent ChainID; null when layerdb/mounts names none (then the image's layers).</summary>
    internal IReadOnlyList<DockerLayer>? ImageLayers { get; set; }

    /// <summary>Why <see cref="RwLayer"/> is null, for an error message: a container made by
    /// another storage driver (Docker 29+'s containerd image store says "overlayfs") has no
    /// layerdb/mounts entry in an overlay2 store.</summary>
    public string NoRwLayerReason => Driver is { Length: > 0 } d && d != "overlay2"
        ? $"Container {Name} uses the '{d}' storage driver{(d == "overlayfs" ? " (the containerd image store, Docker 29+)" : "")}, not overlay2: its layers are not in this store."
        : $"Container {Name} has no usable read-write layer in layerdb/mounts (missing, or refused as unsafe: run Test-OverlayStore).";

    /// <summary>Bytes in the read-write layer once measured (-MeasureSize), as docker ps -s shows.</summary>
    public long? SizeRw => RwLayer is { SizeMeasured: true } rw ? rw.Size : null;

    /// <summary>Read-only lowers below the read-write layer, topmost first: init then the image's
    /// layers top to bottom, exactly the container's lowerdir=.</summary>
    public IReadOnlyList<DockerLayer> LowerLayers
    {
        get
        {
            var list = new List<DockerLayer>();
            if (InitLayer is not null) list.Add(InitLayer);
            if (ImageLayers is not null)
                list.AddRange(ImageLayers.Reverse());
            else if (ImageObject is not null)
                list.AddRange(ImageObject.Layers.Reverse().OfType<DockerLayer>());
            return list;
        }
    }

    public override string ToString() => Name;
}
