using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>
    /// A layer's diff dir, opened beneath the store root with openat2 RESOLVE_BENEATH |
    /// RESOLVE_NO_SYMLINKS: overlay2, the layer dir and diff must each be a real directory of
    /// the store, so a diff (or overlay2/&lt;id&gt;) swapped for a link to a host dir is an
    /// <see cref="UnsafeStoreException"/>, never a read of the host. Null when the layer has no
    /// diff dir (a damaged store: its lookups find nothing there). The caller owns the handle.
    /// </summary>
    internal DirHandle? OpenDiff(DockerLayer layer)
    {
        var rel = $"overlay2/{layer.CacheId}/diff";
        // Every cache id comes from a listing of overlay2/ or passed StoreIds.IsLayerDir; this
        // keeps it so should a new caller forget.
        if (layer.CacheId.Length == 0 || layer.CacheId is "." or ".." || layer.CacheId.Contains('/') || layer.CacheId.Contains('\0'))
            throw new UnsafeStoreException(StoreProblem.UnsafeId, Overlay2Path,
                $"Layer id '{StoreIds.Show(layer.CacheId)}' is not a name of overlay2/: it is not used as a path.");
        try { return _root.OpenBeneath(rel); }
        // O_NOFOLLOW | O_DIRECTORY on a final symlink fails with ENOTDIR, not ELOOP: lstat tells.
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            if (StoreFiles.Stat(rel) is { IsSymlink: true })
                throw Linked(layer, e);
            return null;
        }
        catch (PosixException e) when (e.Errno is Errno.ELOOP or Errno.EXDEV)
        {
            throw Linked(layer, e);
        }
    }

    static UnsafeStoreException Linked(DockerLayer layer, Exception inner) =>
        new(StoreProblem.LinkedLayerDir, layer.DiffPath,
            $"Layer {layer.CacheId}'s diff dir '{layer.DiffPath}' is (or lies under) a symlink: it is not followed, so nothing outside the store is read; run Test-OverlayStore.", inner);

    /// <summary>Opens each layer's diff dir (see <see cref="OpenDiff"/>), in the order given;
    /// on failure the ones already open are closed.</summary>
    internal static List<DirHandle?> OpenDiffs(IEnumerable<DockerLayer> layers)
    {
        var open = new List<DirHandle?>();
        try
        {
            foreach (var l in layers)
                open.Add(l.OpenDiff());
            return open;
        }
        catch
        {
            foreach (var h in open) h?.Dispose();
            throw;
        }
    }

    /// <summary>The layers below a layer, base first, from its own <c>lower</c> file (what its
    /// mount would use). Throws when a link resolves nowhere: a broken store.</summary>
    public IReadOnlyList<DockerLayer> LowerLayers(DockerLayer layer)
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

    /// <summary>The diff dirs below a layer, base first, as paths (see <see cref="LowerLayers"/>).</summary>
    public IReadOnlyList<string> LowerDiffDirs(DockerLayer layer) =>
        LowerLayers(layer).Select(l => l.DiffPath).ToList();
}
