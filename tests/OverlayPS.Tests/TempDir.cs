namespace OverlayPS.Tests;

/// <summary>A scratch directory removed (with any overlay mounted under it) when disposed.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; }

    public TempDir(string prefix = "ovlps")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try
        {
            // Detach anything a test mounted below us first, deepest first, or rm would fail.
            foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
            {
                var mountPoint = line.Split(' ')[4].Replace("\\040", " ");
                if (mountPoint.StartsWith(Path + "/", StringComparison.Ordinal))
                    System.Diagnostics.Process.Start("umount", new[] { "-l", mountPoint })?.WaitForExit();
            }
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            // A tree deeper than PATH_MAX (FileSystem's Copy-Item -Recurse following a link to
            // a directory into itself builds one in the cmdlet harness): .NET's recursive delete
            // goes by full path and gives up; rm walks by descriptors.
            if (Directory.Exists(Path))
                System.Diagnostics.Process.Start("rm", new[] { "-rf", "--one-file-system", Path })?.WaitForExit();
        }
        catch (UnauthorizedAccessException) { }
    }
}
