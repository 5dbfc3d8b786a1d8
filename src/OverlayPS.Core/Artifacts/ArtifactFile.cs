namespace OverlayPS.Core.Artifacts;

/// <summary>The destination exists and overwriting it was not asked for.</summary>
public sealed class ArtifactExistsException : IOException
{
    public string Path { get; }
    public ArtifactExistsException(string path)
        : base($"'{path}' already exists; use -Force to replace it.") => Path = path;
}

/// <summary>
/// Writes an export (a layer tar, an image tar) all or nothing: into a hidden temp file beside
/// the destination, flushed to disk, then renamed over it. A failure, a stop or a crash
/// leaves no half-written file under the destination's name (the temp file is removed on
/// failure; only a crash can leave one, hidden, named <c>.&lt;name&gt;.&lt;random&gt;.partial</c>).
/// Without overwrite, an existing destination is refused before any work and again at the
/// rename (no replace), so a file that appeared meanwhile is never clobbered.
/// </summary>
public static class ArtifactFile
{
    public static FileInfo Write(string path, bool overwrite, Action<Stream> write)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"The directory '{dir}' of '{full}' does not exist.");
        if (Directory.Exists(full))
            throw new IOException($"'{full}' is a directory; give a file path.");
        if (!overwrite && File.Exists(full))
            throw new ArtifactExistsException(full);
        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            try { File.Move(temp, full, overwrite); }
            catch (IOException) when (!overwrite && File.Exists(full)) { throw new ArtifactExistsException(full); }
            return new FileInfo(full);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
