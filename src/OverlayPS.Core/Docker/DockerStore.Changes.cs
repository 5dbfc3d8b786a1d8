namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
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
            try { set = ChangeScanner.Scan(upper, lowerDirs, layer.CacheId, cancel, progress); }
            finally
            {
                foreach (var d in lowerDirs) d?.Dispose();
            }
        }
        var container = layer.Kind == LayerKind.Container ? layer.Containers.FirstOrDefault() : null;
        return set with
        {
            Changes = set.Changes.Select(c => c with { Store = Root, Container = container, Image = image }).ToList(),
        };
    }
}
