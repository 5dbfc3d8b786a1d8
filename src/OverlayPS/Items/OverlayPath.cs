using OverlayPS.Core.Union;

namespace OverlayPS.Items;

/// <summary>
/// Paths of an Overlay drive. A drive "demo" has the provider root "demo:/", so every provider
/// path names its drive ("demo:/etc/hosts") and a provider-qualified PSPath
/// ("OverlayPS\Overlay::demo:/etc/hosts") still finds the right union when piped. Inside, the
/// union path is "/"-rooted ("/etc/hosts").
/// Both '/' and '\' separate components, as the FileSystem provider on Linux does: a name
/// containing '\' is listed but cannot be addressed by path (PowerShell itself turns '\' into
/// '/' before a provider sees it).
/// </summary>
public static class OverlayPath
{
    public static string Root(string drive) => drive + ":/";

    public static string Join(string drive, string unionPath) =>
        unionPath == "/" ? Root(drive) : drive + ":" + unionPath;

    /// <summary>
    /// Splits a provider path into its drive name (null when the path names none) and a
    /// normalised union path: "/"-rooted, single separators, no trailing separator, no "."
    /// components. ".." is left to the engine, which keeps it inside the union.
    /// </summary>
    public static string ToUnion(string path, out string? drive)
    {
        drive = null;
        var p = path.Replace('\\', '/');
        int colon = p.IndexOf(':');
        int slash = p.IndexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            drive = p.Substring(0, colon);
            p = p.Substring(colon + 1);
        }
        return UnionPath.Parse(p).Value;
    }

    /// <summary>The union parent, or null for the root.</summary>
    public static string? UnionParent(string unionPath) => UnionPath.Parse(unionPath).Parent?.Value;

    public static string UnionChild(string unionDir, string name) => UnionPath.Join(unionDir, name);

    public static string LastName(string unionPath) => UnionPath.Parse(unionPath).Name;
}
