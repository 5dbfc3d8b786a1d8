namespace OverlayPS.Core.Union;

/// <summary>The kinds of marks a layer uses to hide what lies below it.</summary>
public enum MarkerKind
{
    /// <summary>The kernel's whiteout: a char device 0/0.</summary>
    Whiteout,
    /// <summary>An empty file marked <c>overlay.whiteout</c> (in a dir marked <c>overlay.opaque=x</c>).</summary>
    XattrWhiteout,
    /// <summary>An OCI <c>.wh.&lt;name&gt;</c> file (hides only when OciWhiteouts is on).</summary>
    OciWhiteout,
    /// <summary>The directory itself is opaque (<c>overlay.opaque=y</c>): nothing below shows.</summary>
    Opaque,
    /// <summary>An OCI <c>.wh..wh..opq</c> file (opaque only when OciWhiteouts is on).</summary>
    OciOpaque,
}

/// <summary>
/// One mark found in a layer's copy of a directory: what it hides (<see cref="Name"/>, the
/// empty string for the directory itself), which layer holds it, where (display only) and
/// its lstat there.
/// </summary>
public sealed record UnionMarker(string Name, MarkerKind Kind, LayerRef Layer, string RealPath, OverlayPS.Core.Posix.FileStat Stat);
