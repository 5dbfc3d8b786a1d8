namespace OverlayPS.Core.Docker;

/// <summary>
/// One <c>overlay2/&lt;cache-id&gt;/</c> dir as the overlay2 driver leaves it: <c>diff/</c> (the layer's
/// files), <c>link</c> (its 26-char name in <c>l/</c>), <c>lower</c> (<c>l/A:l/B:...</c>, topmost
/// first; absent for a base layer), <c>work/</c>, <c>committed</c> (a read-only layer).
/// </summary>
public sealed record Overlay2Dir(
    string CacheId,
    string Path,
    string? LinkId,
    IReadOnlyList<string> LowerLinks,
    bool HasDiff,
    bool IsCommitted)
{
    public string DiffPath => System.IO.Path.Combine(Path, "diff");

    /// <summary>A dir named <c>&lt;id&gt;-removing</c>: the driver's Remove renames before deleting.</summary>
    public bool IsRemoving => CacheId.EndsWith("-removing", StringComparison.Ordinal);

    /// <summary>Named by a BuildKit snapshot key (buildkit identity.NewID: 25 characters of
    /// base 36, zero-padded) rather than a 64-hex layer id: dockerd's BuildKit made it.</summary>
    public bool IsBuildKitSnapshot => CacheId.Length == 25 && CacheId.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'z');
}

internal static class Overlay2DirReader
{
    /// <summary>Every dir of overlay2/ except l/, reading only link and lower (no walks).</summary>
    public static Dictionary<string, Overlay2Dir> Read(string overlay2)
    {
        var dirs = new Dictionary<string, Overlay2Dir>(StringComparer.Ordinal);
        foreach (var name in StoreFiles.Names(overlay2))
        {
            if (name == "l")
                continue;
            var dir = System.IO.Path.Combine(overlay2, name);
            if (!Directory.Exists(dir))
                continue;
            var lower = StoreFiles.ReadSmall(System.IO.Path.Combine(dir, "lower"));
            var links = string.IsNullOrEmpty(lower)
                ? Array.Empty<string>()
                : lower.Split(':', StringSplitOptions.RemoveEmptyEntries);
            dirs[name] = new Overlay2Dir(name, dir,
                StoreFiles.ReadSmall(System.IO.Path.Combine(dir, "link")),
                links,
                Directory.Exists(System.IO.Path.Combine(dir, "diff")),
                File.Exists(System.IO.Path.Combine(dir, "committed")));
        }
        return dirs;
    }

    /// <summary>The l/ dir: link name -> its target as stored (normally ../&lt;cache-id&gt;/diff).</summary>
    public static Dictionary<string, string?> ReadLinks(string overlay2)
    {
        var links = new Dictionary<string, string?>(StringComparer.Ordinal);
        var l = System.IO.Path.Combine(overlay2, "l");
        foreach (var name in StoreFiles.Names(l))
        {
            string? target;
            try { target = Posix.Files.ReadLink(System.IO.Path.Combine(l, name)); }
            catch (Posix.PosixException) { target = null; }
            links[name] = target;
        }
        return links;
    }

    /// <summary>"../&lt;cache-id&gt;/diff" -> cache-id; null for any other shape.</summary>
    public static string? CacheIdOfLinkTarget(string? target)
    {
        if (target is null)
            return null;
        var parts = target.Split('/');
        return parts.Length == 3 && parts[0] == ".." && parts[2] == "diff" ? parts[1] : null;
    }
}
