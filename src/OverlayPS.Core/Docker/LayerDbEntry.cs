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
    public const string Rel = "image/overlay2/layerdb";

    public static List<LayerDbEntry> ReadLayers(StoreFiles files)
    {
        var list = new List<LayerDbEntry>();
        var shaDir = Rel + "/sha256";
        foreach (var name in files.Names(shaDir, "layerdb"))
        {
            bool removing = name.EndsWith("-removing", StringComparison.Ordinal);
            var chainHex = removing ? name.Split('-')[0] : name;
            var chain = "sha256:" + chainHex;
            using var dir = files.OpenDir(shaDir + "/" + name, chain);
            if (dir is null)
                continue;
            long? size = long.TryParse(dir.ReadSmall("size", chain), out var s) ? s : null;
            list.Add(new LayerDbEntry(name, chain,
                dir.ReadId("diff", chain, StoreIds.IsDigest, "a sha256 digest"),
                dir.ReadId("parent", chain, StoreIds.IsDigest, "a sha256 digest"),
                dir.ReadId("cache-id", chain, StoreIds.IsLayerDir, "an overlay2 dir id"),
                size, removing));
        }
        return list;
    }

    public static List<MountDbEntry> ReadMounts(StoreFiles files)
    {
        var list = new List<MountDbEntry>();
        var mounts = Rel + "/mounts";
        foreach (var id in files.Names(mounts, "layerdb/mounts"))
        {
            using var dir = files.OpenDir(mounts + "/" + id, id);
            if (dir is null)
                continue;
            list.Add(new MountDbEntry(id,
                dir.ReadId("mount-id", id, StoreIds.IsLayerDir, "an overlay2 dir id"),
                dir.ReadId("init-id", id, StoreIds.IsLayerDir, "an overlay2 dir id"),
                dir.ReadId("parent", id, StoreIds.IsDigest, "a sha256 digest")));
        }
        return list;
    }
}
