using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>
    /// A layer's files dir at <paramref name="rel"/> (from the store root), opened beneath the
    /// held root with openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS: every component must be a
    /// real directory of the store, so a dir swapped for a link to a host dir is an
    /// <see cref="UnsafeStoreException"/>, never a read of the host. Null when it is missing (a
    /// damaged store: its lookups find nothing there). The caller owns the handle.
    /// </summary>
    protected DirHandle? OpenLayerDirBeneath(DockerLayer layer, string rel)
    {
        try { return RootDir.OpenBeneath(rel); }
        // O_NOFOLLOW | O_DIRECTORY on a final symlink fails with ENOTDIR, not ELOOP: lstat tells.
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            if (IsSymlinkBeneath(rel))
                throw LinkedLayerDir(layer, e);
            return null;
        }
        catch (PosixException e) when (e.Errno is Errno.ELOOP or Errno.EXDEV)
        {
            throw LinkedLayerDir(layer, e);
        }
    }

    bool IsSymlinkBeneath(string rel)
    {
        try { return RootDir.TryStatBeneath(rel, out var st) && st.IsSymlink; }
        catch (PosixException e) when (e.Errno is Errno.ELOOP) { return false; }
    }

    static UnsafeStoreException LinkedLayerDir(DockerLayer layer, Exception inner) =>
        new(StoreProblem.LinkedLayerDir, layer.DiffPath,
            $"Layer {layer.CacheId}'s dir '{layer.DiffPath}' is (or lies under) a symlink: it is not followed, so nothing outside the store is read; run Test-OverlayStore.", inner);

    /// <summary>Layer descriptions from the image history: the first image holding a layer
    /// says which step made it (every image sharing a ChainID shares the steps below it).</summary>
    internal static void DescribeLayersFromHistory(IEnumerable<DockerImage> images)
    {
        foreach (var img in images)
            foreach (var step in img.History)
                if (step.Layer is { CreatedBy: null, Comment: null } l)
                {
                    l.CreatedBy = step.CreatedBy;
                    l.Comment = step.Comment;
                    l.Created = step.Created;
                }
    }
}
