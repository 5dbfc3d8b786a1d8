namespace OverlayPS.Core.Artifacts;

/// <summary>tar-split's two entry types (vbatts/tar-split tar/storage: FileType = 1, SegmentType = 2).</summary>
public enum TarSplitEntryType
{
    /// <summary>A file's payload, to be read from the unpacked layer: name, size, CRC-64 of the content.</summary>
    File = 1,
    /// <summary>Raw bytes of the tar stream kept as they were: headers, padding, the end blocks.</summary>
    Segment = 2,
}

/// <summary>
/// One line of a tar-split file. For a file entry, <see cref="Name"/> is the tar name as
/// written (raw bytes decoded as the rest of Core decodes names) and <see cref="Payload"/> its
/// CRC-64/ISO, big-endian (null when the size is 0); for a segment, <see cref="Payload"/> is
/// the raw bytes.
/// </summary>
public sealed record TarSplitEntry(TarSplitEntryType Type, string? Name, long Size, byte[]? Payload, long Position);

/// <summary>A tar-split file that is not what tar-split writes, or exceeds the bounds it is read with.</summary>
public sealed class TarSplitException : IOException
{
    public long Line { get; }

    public TarSplitException(long line, string message, Exception? inner = null)
        : base(line > 0 ? $"tar-split line {line}: {message}" : $"tar-split: {message}", inner) => Line = line;
}
