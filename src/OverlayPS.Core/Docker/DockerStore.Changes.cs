namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>The diff dirs below a layer, base first, from its own <c>lower</c> file (what
    /// its mount would use). Throws when a link resolves nowhere: a broken store.</summary>
    public IReadOnlyList<string> LowerDiffDirs(DockerLayer layer)
    {
        var dirs = new List<string>();
        foreach (var id in layer.Lowers.Reverse())
        {
            if (id.StartsWith("l/", StringComparison.Ordinal) || !Dirs.ContainsKey(id))
                throw new InvalidDataException(
                    $"Layer {layer.CacheId} names a lower '{id}' that does not resolve to an overlay2 dir; run Test-OverlayStore.");
            dirs.Add(Path.Combine(Overlay2Path, id, "diff"));
        }
        return dirs;
    }

    /// <summary>What a layer added, changed and deleted relative to the layers below it: for a
    /// container's read-write layer, the set <c>docker diff</c> prints. <paramref name="progress"/>
    /// is told how far the scan of the layer's diff dir has got (see ChangeScanner.Scan).</summary>
    public ChangeSet GetChanges(DockerLayer layer, CancellationToken cancel = default, Action<Transfer.TransferProgress>? progress = null)
    {
        if (!Directory.Exists(layer.DiffPath))
            throw new DirectoryNotFoundException($"Layer {layer.CacheId} has no diff dir ('{layer.DiffPath}').");
        return ChangeScanner.Scan(layer.DiffPath, LowerDiffDirs(layer), layer.CacheId, cancel, progress);
    }
}
