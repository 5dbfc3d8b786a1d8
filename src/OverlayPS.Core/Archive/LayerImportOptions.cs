namespace OverlayPS.Core.Archive;

/// <summary>How an imported layer writes whiteouts and opaque marks, and how the caller stays in charge.</summary>
public sealed record LayerImportOptions
{
    /// <summary>"trusted." or "user." (a -UserXattr stack): the prefix of overlay.opaque and,
    /// where mknod of a 0/0 device is refused, of the overlay.whiteout xattr form.</summary>
    public string XattrPrefix { get; init; } = "trusted.";

    /// <summary>Keep <c>.wh.</c> files as they are (a lower for a drive with -OciWhiteouts).
    /// An upper always gets the kernel's form: only that form counts in an upper.</summary>
    public bool OciWhiteouts { get; init; }

    public Func<bool>? Stopping { get; init; }

    /// <summary>Whether device nodes may be made; null: only as root. Tests set false to see
    /// the refusal a non-root import gives.</summary>
    internal bool? DevicesAllowed { get; init; }

    /// <summary>Called with each entry's name as it is staged (for a progress bar).</summary>
    public Action<string>? Staged { get; init; }
}

/// <summary>What an import applied.</summary>
public sealed record LayerImportResult(string Target, long Entries, long Whiteouts, long OpaqueDirs, long Bytes);
