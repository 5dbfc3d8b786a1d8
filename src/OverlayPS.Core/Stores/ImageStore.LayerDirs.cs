using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>
    /// <c>&lt;driverDir&gt;/&lt;layer id&gt;/diff</c> (<c>fs</c> for a containerd snapshot: the layer's DiffDirName) opened beneath the store root with openat2
    /// RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: the driver dir, the layer dir and diff must each be
    /// a real directory of the store, so a diff (or layer dir) swapped for a link to a host dir
    /// is an <see cref="UnsafeStoreException"/>, never a read of the host. Null when the layer
    /// has no diff dir (a damaged store: its lookups find nothing there). The caller owns the handle.
    /// </summary>
    protected DirHandle? OpenLayerDiff(DockerLayer layer, string driverDir)
    {
        var rel = $"{driverDir}/{layer.CacheId}/{layer.DiffDirName}";
        // Every layer id comes from a listing of the driver dir or passed a StoreIds check;
        // this keeps it so should a new caller forget.
        if (layer.CacheId.Length == 0 || layer.CacheId is "." or ".." || layer.CacheId.Contains('/') || layer.CacheId.Contains('\0'))
            throw new UnsafeStoreException(StoreProblem.UnsafeId, Path.Combine(Root, driverDir),
                $"Layer id '{StoreIds.Show(layer.CacheId)}' is not a name of {driverDir}/: it is not used as a path.");
        try { return RootDir.OpenBeneath(rel); }
        // O_NOFOLLOW | O_DIRECTORY on a final symlink fails with ENOTDIR, not ELOOP: lstat tells.
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            if (IsSymlink(rel) || IsSymlink($"{driverDir}/{layer.CacheId}"))
                throw Linked(layer, e);
            return null;
        }
        catch (PosixException e) when (e.Errno is Errno.ELOOP or Errno.EXDEV)
        {
            throw Linked(layer, e);
        }
    }

    bool IsSymlink(string rel)
    {
        try { return RootDir.TryStatBeneath(rel, out var st) && st.IsSymlink; }
        catch (PosixException e) when (e.Errno is Errno.ELOOP) { return false; }
    }

    static UnsafeStoreException Linked(DockerLayer layer, Exception inner) =>
        new(StoreProblem.LinkedLayerDir, layer.DiffPath,
            $"Layer {layer.CacheId}'s diff dir '{layer.DiffPath}' is (or lies under) a symlink: it is not followed, so nothing outside the store is read; run Test-OverlayStore.", inner);

    /// <summary>Opens each layer's diff dir, each through the store it came from (see
    /// <see cref="OpenDiff"/>), in the order given; on failure the ones already open are closed.</summary>
    internal static BaseFirst<DirHandle?> OpenDiffs(BaseFirst<DockerLayer> layers)
    {
        var open = new List<DirHandle?>();
        try
        {
            foreach (var l in layers)
                open.Add(l.OpenDiff());
            return new(open);
        }
        catch
        {
            foreach (var h in open) h?.Dispose();
            throw;
        }
    }

    /// <summary>The diff dirs below a layer, base first, as paths (see <see cref="LowerLayers"/>).</summary>
    public BaseFirst<string> LowerDiffDirs(DockerLayer layer) =>
        new(LowerLayers(layer).Select(l => l.DiffPath));
}
