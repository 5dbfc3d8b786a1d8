namespace OverlayPS.Core.Docker;

/// <summary>One step of an image's history, with the layer it made (null for empty_layer steps).</summary>
public sealed record ImageHistoryStep(
    int Index,
    DateTime? Created,
    string? CreatedBy,
    string? Comment,
    bool EmptyLayer,
    DockerLayer? Layer)
{
    /// <summary>The image this step produced, as <c>docker history</c> pairs them: the image
    /// itself for the newest step, then its parent, and so on ("&lt;missing&gt;" when not local).</summary>
    public string? ImageId { get; internal set; }

    public long Size => Layer?.Size ?? 0;
}

/// <summary>An image of the store: its config, tags and layer stack (bottom first).</summary>
public sealed class DockerImage
{
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
    /// <summary>The layers bottom first; null where layerdb has no entry for the ChainID.</summary>
    public IReadOnlyList<DockerLayer?> Layers { get; init; } = Array.Empty<DockerLayer?>();
    public IReadOnlyList<ImageHistoryStep> History { get; internal set; } = Array.Empty<ImageHistoryStep>();
    /// <summary>Untagged and some other image has it as parent (a legacy-builder step).</summary>
    public bool IsIntermediate { get; internal set; }
    /// <summary>Untagged and not a parent: what <c>docker images -f dangling=true</c> lists.</summary>
    public bool IsDangling { get; internal set; }
    public List<string> Containers { get; } = new();
    /// <summary>The sum of its layers' sizes (docker image inspect's Size).</summary>
    public long Size => Layers.Sum(l => l?.Size ?? 0);
    /// <summary>A tag, else a repo digest, else the short id.</summary>
    public string Name => Tags.Count > 0 ? Tags[0] : RepoDigests.Count > 0 ? RepoDigests[0] : ShortId;
    public bool IsComplete => Layers.All(l => l is not null && l.Exists);

    public override string ToString() => Name;
}
