namespace OverlayPS.Core.Archive;

/// <summary>How a layer dir becomes a tar, and how the caller stays in charge while it does.</summary>
public sealed record LayerTarOptions
{
    /// <summary>"trusted." (docker, root stacks) or "user." (-UserXattr stacks): whose
    /// overlay.opaque and overlay.whiteout marks count.</summary>
    public string XattrPrefix { get; init; } = "trusted.";

    /// <summary>Fill uname/gname from this host's accounts, as docker before 23.0 did (Go's
    /// tar.FileInfoHeader looks them up; Debian 12's docker.io 20.10 still does). Off: empty
    /// names, as moby's FileInfoHeaderNoLookups writes them since 23.0.</summary>
    public bool HostOwnerNames { get; init; }

    /// <summary>gzip the output (the DiffID is still the sha256 of the plain stream).</summary>
    public bool Gzip { get; init; }

    /// <summary>Polled between entries; true stops the walk with OperationCanceledException.</summary>
    public Func<bool>? Stopping { get; init; }

    /// <summary>Called with each entry's path as it is written (for a progress bar).</summary>
    public Action<string>? Written { get; init; }
}

/// <summary>What one export wrote: the DiffID is "sha256:" + the hash of the plain tar.</summary>
public sealed record LayerTarResult(string DiffId, long Entries, long TarBytes);
