using System.Management.Automation;

namespace OverlayPS.Commands;

/// <summary>Host directory paths given to the kernel-mount cmdlets.</summary>
internal static class HostPath
{
    /// <summary>
    /// An absolute path is used as written: on Linux '\' is an ordinary file-name character, but
    /// PowerShell's path resolution reads it as a separator and would name another directory.
    /// Relative paths (and ~) resolve against the current FileSystem location.
    /// </summary>
    public static string Resolve(SessionState session, string path) =>
        path.StartsWith('/') ? path : session.Path.GetUnresolvedProviderPathFromPSPath(path);
}
