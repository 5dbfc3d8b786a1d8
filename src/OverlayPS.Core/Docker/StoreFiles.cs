namespace OverlayPS.Core.Docker;

/// <summary>
/// Reading the many tiny files of a store (cache-id, diff, link, lower...): each is read once,
/// whole, and trimmed; a missing one is null rather than an exception, because a damaged store
/// is something to report, not to crash on. Permission problems still surface.
/// </summary>
internal static class StoreFiles
{
    public static string? ReadSmall(string path)
    {
        try { return File.ReadAllText(path).Trim(); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public static byte[]? ReadBytes(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public static IEnumerable<string> Names(string dir)
    {
        if (!Directory.Exists(dir))
            return Array.Empty<string>();
        return Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p));
    }
}
