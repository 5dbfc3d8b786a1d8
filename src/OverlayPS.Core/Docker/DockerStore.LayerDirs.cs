using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>
    /// A layer's diff dir (overlay2/&lt;id&gt;/diff), opened beneath the store root with openat2 RESOLVE_BENEATH |
    /// RESOLVE_NO_SYMLINKS: overlay2, the layer dir and diff must each be a real directory of
    /// the store, so a diff (or overlay2/&lt;id&gt;) swapped for a link to a host dir is an
    /// <see cref="UnsafeStoreException"/>, never a read of the host. Null when the layer has no
    /// diff dir (a damaged store: its lookups find nothing there). The caller owns the handle.
    /// </summary>
    internal override DirHandle? OpenDiff(DockerLayer layer)
    {
        var rel = $"overlay2/{layer.CacheId}/diff";
        // Every cache id comes from a listing of overlay2/ or passed StoreIds.IsLayerDir; this
        // keeps it so should a new caller forget.
        if (layer.CacheId.Length == 0 || layer.CacheId is "." or ".." || layer.CacheId.Contains('/') || layer.CacheId.Contains('\0'))
            throw new UnsafeStoreException(StoreProblem.UnsafeId, Overlay2Path,
                $"Layer id '{StoreIds.Show(layer.CacheId)}' is not a name of overlay2/: it is not used as a path.");
        return OpenLayerDirBeneath(layer, rel);
    }

    /// <summary>The layers below a layer, base first, from its own <c>lower</c> file (what its
    /// mount would use). Throws when a link resolves nowhere: a broken store.</summary>
    public override IReadOnlyList<DockerLayer> LowerLayers(DockerLayer layer)
    {
        var layers = new List<DockerLayer>();
        foreach (var id in layer.Lowers.Reverse())
        {
            if (id.StartsWith("l/", StringComparison.Ordinal) || !Dirs.ContainsKey(id) || LayerByCacheId(id) is not { } l)
                throw new InvalidDataException(
                    $"Layer {layer.CacheId} names a lower '{id}' that does not resolve to an overlay2 dir; run Test-OverlayStore.");
            layers.Add(l);
        }
        return layers;
    }
}
