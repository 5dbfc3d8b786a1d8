using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Containerd;

public sealed partial class ContainerdStore
{
    /// <summary>
    /// The references between meta.db's snapshot keys, the snapshotter's records and the
    /// snapshots/ dirs, checked for this namespace (orphan dirs for the whole store): a dir no
    /// snapshot names, a snapshot whose dir or record is gone, a parent that does not exist,
    /// an image whose layer snapshots are missing, a container whose snapshot is.
    /// </summary>
    public override IReadOnlyList<StoreFinding> Check()
    {
        var f = new List<StoreFinding>();
        foreach (var p in ReadProblems)
            f.Add(new StoreFinding(StoreProblem.Unparsable, Root, "", p));
        f.AddRange(StoreFiles.Findings);

        foreach (var l in Layers.Where(l => l.Kind == LayerKind.Unreferenced))
            f.Add(new StoreFinding(StoreProblem.UnreferencedDir, l.Path, l.CacheId,
                $"snapshot dir {l.CacheId} is named by no snapshot of any namespace (an interrupted removal or unpack): disk nothing uses."));

        var metaDb = Path.Combine(ContainerdRoot, MetaDbRel);
        var snapDb = Path.Combine(ContainerdRoot, SnapshotterDbRel);
        foreach (var k in Metadata.SnapshotKeys.Values.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var b = Backend(k);
            if (b is null)
                f.Add(new StoreFinding(StoreProblem.MissingLayerDir, snapDb, k.Key,
                    $"snapshot {k.Key} (namespace {_namespace}) names the snapshotter record '{k.BackendName}', which {(k.BackendName is null ? "is empty" : "does not exist")}: it has no dir."));
            else if (b.Id is null)
                f.Add(new StoreFinding(StoreProblem.IncompleteLayerDbEntry, snapDb, k.Key,
                    $"snapshot {k.Key}'s snapshotter record '{b.Name}' has no id."));
            else if (_byKey.GetValueOrDefault(k.Key) is { Exists: false } l)
                f.Add(new StoreFinding(StoreProblem.MissingLayerDir, l.Path, k.Key,
                    $"snapshot {k.Key} (namespace {_namespace}) is snapshots/{l.CacheId}, which does not exist."));
            if (k.Parent is not null && !Metadata.SnapshotKeys.ContainsKey(k.Parent))
                f.Add(new StoreFinding(StoreProblem.MissingParent, metaDb, k.Key,
                    $"snapshot {k.Key} has parent {k.Parent}, which is not a snapshot of namespace {_namespace}."));
            if (b?.Parent is { } bp && !Snapshotter.Snapshots.ContainsKey(bp))
                f.Add(new StoreFinding(StoreProblem.MissingParent, snapDb, k.Key,
                    $"snapshotter record '{b.Name}' has parent '{bp}', which has no record."));
        }

        foreach (var img in Images)
        {
            int missing = img.Layers.ToList().FindIndex(l => l is null);
            if (missing >= 0)
                f.Add(new StoreFinding(StoreProblem.MissingImageLayer, metaDb, img.Id,
                    $"image {img.Name} needs layer {img.ChainIds[missing]} (position {missing + 1}), which is not a committed snapshot of namespace {_namespace} (not unpacked, or removed)."));
        }
        foreach (var c in Containers.Where(c => c.Driver == ContainerdMetadata.Snapshotter && c.RwLayer is null))
            f.Add(new StoreFinding(StoreProblem.MissingContainerLayer, metaDb, c.Id,
                $"container {c.Name} has snapshot key '{Metadata.Containers.First(r => r.Id == c.Id).SnapshotKey}', which is not a snapshot of namespace {_namespace}."));
        return f.Select(x => x with { Store = Root, StoreKind = Kind }).ToList();
    }
}
