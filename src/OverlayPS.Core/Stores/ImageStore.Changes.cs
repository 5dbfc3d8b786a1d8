using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>What a layer added, changed and deleted relative to the layers below it: for a
    /// container's read-write layer, the set <c>docker diff</c> prints. Every layer dir is
    /// opened beneath the store root and read through that descriptor only. Each change names
    /// the store, the container whose read-write layer it is, and <paramref name="image"/> when
    /// the changes were asked of an image's top layer, so changes of several sources stay apart.
    /// <paramref name="progress"/> is told how far the scan of the layer's diff dir has got
    /// (see ChangeScanner.Scan).</summary>
    public ChangeSet GetChanges(DockerLayer layer, string? image = null, CancellationToken cancel = default,
        Action<Transfer.TransferProgress>? progress = null)
    {
        ChangeSet set;
        using (var upper = OpenDiff(layer)
            ?? throw new DirectoryNotFoundException($"Layer {layer.CacheId} has no diff dir ('{layer.DiffPath}')."))
        {
            var lowerDirs = OpenDiffs(LowerLayers(layer));
            try { set = ScanChanges(upper, lowerDirs, layer.CacheId, cancel, progress); }
            finally
            {
                foreach (var d in lowerDirs) d?.Dispose();
            }
        }
        var container = layer.Kind == LayerKind.Container ? layer.Containers.FirstOrDefault() : null;
        return set with
        {
            Changes = set.Changes.Select(c => c with { Store = Root, StoreKind = Kind, Namespace = Namespace, Container = container, Image = image }).ToList(),
        };
    }

    /// <summary>The changes of a held diff dir over the held dirs below it, as
    /// the store's own engine reports them: <c>docker diff</c>'s rules by default
    /// (<see cref="ChangeScanner"/>); a store whose engine differs says so here.</summary>
    protected virtual ChangeSet ScanChanges(Posix.DirHandle upper, BaseFirst<Posix.DirHandle?> lowers, string layerName,
        CancellationToken cancel, Action<Transfer.TransferProgress>? progress) =>
        ChangeScanner.Scan(upper, lowers, layerName, cancel, progress);
}
