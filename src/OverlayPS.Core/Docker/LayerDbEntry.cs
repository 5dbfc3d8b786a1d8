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
            var dir = shaDir + "/" + name;
            if (!files.IsDir(dir, name))
                continue;
            bool removing = name.EndsWith("-removing", StringComparison.Ordinal);
            var chainHex = removing ? name.Split('-')[0] : name;
            var chain = "sha256:" + chainHex;
            long? size = long.TryParse(files.ReadSmall(dir + "/size", chain), out var s) ? s : null;
            list.Add(new LayerDbEntry(name, chain,
                files.ReadId(dir + "/diff", chain, StoreIds.IsDigest, "a sha256 digest"),
                files.ReadId(dir + "/parent", chain, StoreIds.IsDigest, "a sha256 digest"),
                files.ReadId(dir + "/cache-id", chain, StoreIds.IsLayerDir, "an overlay2 dir id"),
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
            var dir = mounts + "/" + id;
            if (!files.IsDir(dir, id))
                continue;
            list.Add(new MountDbEntry(id,
                files.ReadId(dir + "/mount-id", id, StoreIds.IsLayerDir, "an overlay2 dir id"),
                files.ReadId(dir + "/init-id", id, StoreIds.IsLayerDir, "an overlay2 dir id"),
                files.ReadId(dir + "/parent", id, StoreIds.IsDigest, "a sha256 digest")));
        }
        return list;
    }
}
