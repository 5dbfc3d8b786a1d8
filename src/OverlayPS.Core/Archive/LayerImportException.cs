namespace OverlayPS.Core.Archive;

/// <summary>Why an import was refused; each maps to one ErrorRecord id and category.</summary>
public enum LayerImportProblem
{
    /// <summary>The input is not a tar (or a gzip of one) this reader accepts.</summary>
    MalformedTar,
    /// <summary>An entry name starting with '/'.</summary>
    AbsoluteName,
    /// <summary>An entry name with a ".." component.</summary>
    ParentReference,
    /// <summary>An entry name holding a NUL byte (only a pax record can carry one).</summary>
    NulInName,
    /// <summary>An entry below a symlink the layer wrote earlier (a write through it).</summary>
    ThroughSymlink,
    /// <summary>An entry below a name that is not a directory.</summary>
    ThroughNonDirectory,
    /// <summary>A hard link whose target is absolute or climbs out with "..".</summary>
    LinkOutsideLayer,
    /// <summary>A hard link to a name the layer has not written (yet), or to a directory.</summary>
    LinkTargetMissing,
    /// <summary>A device node while not root.</summary>
    DeviceNeedsRoot,
    /// <summary>An entry type this importer does not write (sparse, contiguous-unknown, ...).</summary>
    UnsupportedEntry,
    /// <summary>A record that would set the overlay's own xattrs (trusted/user.overlay.*).</summary>
    OverlayXattr,
    /// <summary>A whiteout of "", "." or "..", or an opaque mark on the layer's root.</summary>
    BadWhiteout,
    /// <summary>The new lower directory already exists.</summary>
    TargetExists,
}

/// <summary>An import refused: nothing of it was left in the target.</summary>
public sealed class LayerImportException(LayerImportProblem problem, string entry, string message)
    : IOException(message)
{
    public LayerImportProblem Problem { get; } = problem;

    /// <summary>The tar entry's name (as decoded bytes) or the target directory.</summary>
    public string Entry { get; } = entry;
}
