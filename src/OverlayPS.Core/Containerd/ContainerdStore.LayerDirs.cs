using OverlayPS.Core.Docker;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Containerd;

public sealed partial class ContainerdStore
{
    /// <summary>
    /// A snapshot's fs dir (snapshots/&lt;id&gt;/fs), opened beneath the store root with no
    /// symlink on the way: a snapshot dir or fs swapped for a link to a host dir is an
    /// <see cref="UnsafeStoreException"/>, never a read of the host. Null when it is missing.
    /// </summary>
    internal override DirHandle? OpenDiff(DockerLayer layer)
    {
        if (!IsSnapshotId(layer.CacheId))
            throw new UnsafeStoreException(StoreProblem.UnsafeId, SnapshotsPath,
                $"Snapshot id '{StoreIds.Show(layer.CacheId)}' is not a name of snapshots/: it is not used as a path.");
        return OpenLayerDiff(layer, $"{_prefix}{SnapshotterDir}/snapshots");
    }

    /// <summary>The snapshots below a snapshot, base first: its parent keys (what the
    /// snapshotter puts in lowerdir=). Throws when a parent is not a snapshot of the namespace.</summary>
    public override BaseFirst<DockerLayer> LowerLayers(DockerLayer layer)
    {
        if (layer.SnapshotKey is null)
            return BaseFirst<DockerLayer>.Empty;
        var layers = new List<DockerLayer>();     // parent keys: topmost first
        var parents = ParentKeys(layer.SnapshotKey);
        var last = parents.Count == 0 ? layer.SnapshotKey : parents[^1];
        if (Metadata.SnapshotKeys.GetValueOrDefault(last)?.Parent is { } dangling)
            throw new InvalidDataException(
                $"Snapshot {layer.SnapshotKey} has a parent '{dangling}' that is not a snapshot of namespace {_namespace}; run Test-OverlayStore.");
        foreach (var key in parents)
            layers.Add(_byKey.GetValueOrDefault(key)
                ?? throw new InvalidDataException($"Snapshot {layer.SnapshotKey}'s parent {key} has no snapshot dir record; run Test-OverlayStore."));
        return new TopmostFirst<DockerLayer>(layers).ToBaseFirst();
    }

    /// <summary>"Who owns this dir?": snapshots/&lt;id&gt;/... belongs to the snapshot with that
    /// id (of this namespace, or an unreferenced dir); null elsewhere.</summary>
    public override DockerLayer? LayerOwningPath(string path) =>
        SnapshotIdOfPath(path) is { } id ? LayerByCacheId(id) : null;

    /// <summary>A snapshot dir of another namespace: its backend name starts with the namespace.</summary>
    public override string? OwnedOutsideView(string path)
    {
        if (SnapshotIdOfPath(path) is not { } id)
            return null;
        var owner = Snapshotter.Snapshots.Values.FirstOrDefault(s => s.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) == id);
        var ns = owner?.Name.Split('/')[0];
        return ns is null || ns == _namespace ? null : $" It is snapshot {id} of namespace '{ns}': add -Namespace {ns}.";
    }

    /// <summary>The &lt;id&gt; of a path under snapshots/&lt;id&gt;, or null.</summary>
    string? SnapshotIdOfPath(string path)
    {
        var rel = PathInStore(Path.GetFullPath(path));
        if (rel is null || !rel.StartsWith(_prefix, StringComparison.Ordinal))
            return null;
        var parts = rel[_prefix.Length..].Split('/');
        return parts.Length >= 3 && parts[0] == SnapshotterDir && parts[1] == "snapshots" ? parts[2] : null;
    }
}
