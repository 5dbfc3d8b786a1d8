using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>docker diff's letters: A, C, D.</summary>
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
    public char Letter => Kind switch { ChangeKind.Added => 'A', ChangeKind.Changed => 'C', _ => 'D' };
    /// <summary>The line as docker diff prints it.</summary>
    public override string ToString() => $"{Letter} {Path}";
}

/// <summary>The changes of one layer and what looked wrong while scanning it.</summary>
public sealed record ChangeSet(IReadOnlyList<LayerChange> Changes, IReadOnlyList<string> Warnings);
