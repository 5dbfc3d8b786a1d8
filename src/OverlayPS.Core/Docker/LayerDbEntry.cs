namespace OverlayPS.Core.Docker;

/// <summary>
/// One <c>image/overlay2/layerdb/sha256/&lt;chain-id&gt;/</c> dir: moby's record of a read-only
/// layer. <see cref="RemovingSuffix"/> is set for a dir renamed <c>&lt;chain&gt;-&lt;random&gt;-removing</c>,
/// a deletion that did not finish (moby layer/filestore.go Remove).
/// </summary>
public sealed record LayerDbEntry(
    string DirName,
    string ChainId,
    string? DiffId,
    string? Parent,
    string? CacheId,
    long? Size,
    bool Removing);

/// <summary>One <c>layerdb/mounts/&lt;container-id&gt;/</c>: a container's read-write layer.</summary>
public sealed record MountDbEntry(
    string ContainerId,
    string? MountId,
    string? InitId,
    string? Parent);

internal static class LayerDbReader
{
    public static List<LayerDbEntry> ReadLayers(string layerDb)
    {
        var list = new List<LayerDbEntry>();
        var shaDir = Path.Combine(layerDb, "sha256");
        foreach (var name in StoreFiles.Names(shaDir))
        {
            var dir = Path.Combine(shaDir, name);
            if (!Directory.Exists(dir))
                continue;
            bool removing = name.EndsWith("-removing", StringComparison.Ordinal);
            var chainHex = removing ? name.Split('-')[0] : name;
            long? size = long.TryParse(StoreFiles.ReadSmall(Path.Combine(dir, "size")), out var s) ? s : null;
            list.Add(new LayerDbEntry(name, "sha256:" + chainHex,
                StoreFiles.ReadSmall(Path.Combine(dir, "diff")),
                NullIfEmpty(StoreFiles.ReadSmall(Path.Combine(dir, "parent"))),
                StoreFiles.ReadSmall(Path.Combine(dir, "cache-id")),
                size, removing));
        }
        return list;
    }

    public static List<MountDbEntry> ReadMounts(string layerDb)
    {
        var list = new List<MountDbEntry>();
        var mounts = Path.Combine(layerDb, "mounts");
        foreach (var id in StoreFiles.Names(mounts))
        {
            var dir = Path.Combine(mounts, id);
            if (!Directory.Exists(dir))
                continue;
            list.Add(new MountDbEntry(id,
                StoreFiles.ReadSmall(Path.Combine(dir, "mount-id")),
                NullIfEmpty(StoreFiles.ReadSmall(Path.Combine(dir, "init-id"))),
                NullIfEmpty(StoreFiles.ReadSmall(Path.Combine(dir, "parent")))));
        }
        return list;
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
