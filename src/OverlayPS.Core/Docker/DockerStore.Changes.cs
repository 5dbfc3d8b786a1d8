namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>What a layer added, changed and deleted relative to the layers below it: for a
    /// container's read-write layer, the set <c>docker diff</c> prints. Every layer dir is
    /// opened beneath the store root and read through that descriptor only.</summary>
    public ChangeSet GetChanges(DockerLayer layer, CancellationToken cancel = default)
    {
        using var upper = OpenDiff(layer)
            ?? throw new DirectoryNotFoundException($"Layer {layer.CacheId} has no diff dir ('{layer.DiffPath}').");
        var lowerDirs = OpenDiffs(LowerLayers(layer));
        try { return ChangeScanner.Scan(upper, lowerDirs, layer.CacheId, cancel); }
        finally
        {
            foreach (var d in lowerDirs) d?.Dispose();
        }
    }
}
