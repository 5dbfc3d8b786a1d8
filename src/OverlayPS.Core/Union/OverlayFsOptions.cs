namespace OverlayPS.Core.Union;

/// <summary>Choices about reading layers that the kernel does not make.</summary>
public sealed record OverlayFsOptions
{
    /// <summary>
    /// Read OCI-style markers in lower layers: <c>.wh.&lt;name&gt;</c> hides <c>name</c> below it
    /// and <c>.wh..wh..opq</c> makes its directory opaque; the markers themselves are hidden.
    /// Off by default because the kernel does not do this (it shows such files as plain files),
    /// and inside an upper dir a file named <c>.wh.x</c> is only a file. Turn it on for layer
    /// directories unpacked from image tarballs by tools that kept the OCI form. Costs one
    /// more failed lstat per lower layer in each lookup.
    /// </summary>
    public bool OciWhiteouts { get; init; }

    /// <summary>
    /// Keep resolved directories between calls (see DirectoryCache), as the kernel keeps
    /// dentries: a lookup then asks each layer for the last name only. On by default. Changes
    /// to the upper dir made meanwhile by others (a kernel mount, another engine) are seen at
    /// once either way; turn it off when the LOWER dirs change while this engine serves them
    /// (undefined for a kernel mount too) and each call must see that at once.
    /// </summary>
    public bool CacheDirectories { get; init; } = true;

    /// <summary>
    /// How many directory descriptors the cache may hold at once (a directory merged from n
    /// layers holds n); the least recently used go first. 4,096 by default: far below the
    /// process limit (20,000 or more; the runtime raises the soft limit to the hard one).
    /// </summary>
    public int CacheDescriptorBudget { get; init; } = 4096;

    public static OverlayFsOptions Default { get; } = new();
}
