using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>docker diff's letters: A, C, D.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum ChangeKind
{
    Added,
    Changed,
    Deleted,
}

/// <summary>
/// One line of <c>docker diff</c>: a path in the merged view that a layer added, changed or
/// deleted, with the kind and size of what is there now (of what was there, for a deletion).
/// </summary>
public sealed record LayerChange(
    string Path,
    ChangeKind Kind,
    FileKind ItemType,
    long Size,
    string Layer)
{
    /// <summary>The store root the layer is in.</summary>
    public string? Store { get; init; }
    /// <summary>What kind of store it came from.</summary>
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace of the layer; null for other stores.</summary>
    public string? Namespace { get; init; }
    /// <summary>The container whose read-write layer this is (by name), when it is one.</summary>
    public string? Container { get; init; }
    /// <summary>The image whose top layer this is, when the changes were asked of an image.</summary>
    public string? Image { get; init; }
    public char Letter => Kind switch { ChangeKind.Added => 'A', ChangeKind.Changed => 'C', _ => 'D' };
    /// <summary>The line as docker diff prints it.</summary>
    public override string ToString() => $"{Letter} {Path}";
}

/// <summary>The changes of one layer and what looked wrong while scanning it.</summary>
public sealed record ChangeSet(IReadOnlyList<LayerChange> Changes, IReadOnlyList<string> Warnings);
