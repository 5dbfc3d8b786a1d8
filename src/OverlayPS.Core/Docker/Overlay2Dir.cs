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
    /// <summary>Every dir of overlay2/ except l/, reading only link and lower (no walks). A
    /// lower entry that is not <c>l/&lt;link name&gt;</c> is an UnsafeId finding and left out.
    /// containers-storage's overlay driver keeps the same layout under overlay/
    /// (<paramref name="driverDir"/>); a plain file there (.has-mount-program) is no layer.</summary>
    public static Dictionary<string, Overlay2Dir> Read(StoreFiles files, string driverDir = "overlay2")
    {
        var dirs = new Dictionary<string, Overlay2Dir>(StringComparer.Ordinal);
        foreach (var name in files.Names(driverDir, driverDir))
        {
            if (name == "l")
                continue;
            using var dir = files.OpenDir(driverDir + "/" + name, name);
            if (dir is null)
                continue;
            var lower = dir.ReadSmall("lower", name);
            var links = new List<string>();
            foreach (var entry in string.IsNullOrEmpty(lower) ? Array.Empty<string>() : lower.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                if (entry.StartsWith("l/", StringComparison.Ordinal) && StoreIds.IsLink(entry[2..]))
                    links.Add(entry);
                else
                    dir.RefuseId("lower", name, entry, "l/<26-character link name>");
            }
            dirs[name] = new Overlay2Dir(name, dir.FullPath(""),
                dir.ReadId("link", name, StoreIds.IsLink, "a 26-character link name"),
                links,
                dir.IsDir("diff", name),
                dir.Exists("committed"));
        }
        return dirs;
    }

    /// <summary>The l/ dir: link name -> its target as stored (normally ../&lt;cache-id&gt;/diff).</summary>
    public static Dictionary<string, string?> ReadLinks(StoreFiles files, string driverDir = "overlay2") => files.Links(driverDir + "/l", "l");

    /// <summary>"../&lt;cache-id&gt;/diff" -> cache-id; null for any other shape, and for an id
    /// of a form moby does not write ("..", "").</summary>
    public static string? CacheIdOfLinkTarget(string? target)
    {
        if (target is null)
            return null;
        var parts = target.Split('/');
        return parts.Length == 3 && parts[0] == ".." && parts[2] == "diff" && StoreIds.IsLayerDir(parts[1]) ? parts[1] : null;
    }
}
