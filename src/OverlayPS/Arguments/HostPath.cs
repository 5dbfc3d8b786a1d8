using System.Management.Automation;

namespace OverlayPS.Arguments;

/// <summary>Host directory paths given to the kernel-mount cmdlets, the drive's layer dirs and
/// the Docker store cmdlets.</summary>
internal static class HostPath
{
    /// <summary>
    /// An absolute path is used as written: on Linux '\' is an ordinary file-name character, but
    /// PowerShell's path resolution reads it as a separator and would name another directory.
    /// Relative paths (and ~) resolve against the FileSystem location, also when the current
    /// location is on an Overlay drive (a host path relative to "ov:/etc" would otherwise
    /// become "ov:/etc/x" and reach the kernel as a relative path of the process).
    /// A path on another provider's drive is refused (PSArgumentException).
    /// </summary>
    public static string Resolve(SessionState session, string path)
    {
        if (path.StartsWith('/'))
            return path;
        if (session.Path.CurrentLocation.Provider.Name != FileSystem && !session.Path.IsPSAbsolute(path, out _))
        {
            var fs = session.Provider.GetOne(FileSystem);
            bool home = path == "~" || path.StartsWith("~/", StringComparison.Ordinal);
            var baseDir = home ? fs.Home : session.Path.CurrentFileSystemLocation.ProviderPath;
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, home ? path.TrimStart('~').TrimStart('/') : path));
        }
        var resolved = session.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (provider.Name != FileSystem)
            throw new PSArgumentException($"'{path}' is on the {provider.Name} provider; give a host directory (a FileSystem path).");
        return resolved;
    }

    const string FileSystem = "FileSystem";
}
