namespace OverlayPS.Core.Bolt;

/// <summary>
/// A bbolt file that is not what bbolt writes: truncated, corrupt, or crafted. Says what was
/// wrong and where (the page id and byte offset in the file), so a store check can name it.
/// An IOException, as the other "this store file cannot be read" errors are.
/// </summary>
public sealed class BoltFormatException : IOException
{
    /// <summary>The file (as given to the reader, for messages).</summary>
    public string File { get; }
    /// <summary>The page the problem was found in; null for a problem of the file as a whole.</summary>
    public ulong? PageId { get; }
    /// <summary>The byte offset in the file; -1 when not known.</summary>
    public long Offset { get; }

    public BoltFormatException(string source, string what, ulong? pageId = null, long offset = -1)
        : base($"'{source}' is not a readable bbolt database: {what}" +
               (pageId is null ? "" : $" (page {pageId}") + (offset < 0 ? "" : (pageId is null ? " (" : ", ") + $"offset {offset}") +
               (pageId is null && offset < 0 ? "" : ")") + ".")
    {
        File = source;
        PageId = pageId;
        Offset = offset;
    }
}
