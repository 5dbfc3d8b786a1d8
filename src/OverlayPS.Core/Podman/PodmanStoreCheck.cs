using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Podman;

/// <summary>
/// Checks the references between layers.json, images.json, containers.json, the overlay/
/// dirs, their link and lower files and the l/ links, and reports each broken one. Reads only
/// what opening the store read: changes nothing.
/// </summary>
internal static class PodmanStoreCheck
{
    public static IReadOnlyList<StoreFinding> Run(PodmanStore store)
    {
        var f = new List<StoreFinding>();
        var overlay = store.OverlayPath;
        var layersJson = Path.Combine(store.Root, StorageRecords.LayersJson);

        foreach (var p in store.ReadProblems)
            f.Add(new StoreFinding(StoreProblem.Unparsable, store.Root, "", p));
        f.AddRange(store.StoreFiles.Findings);

        var records = store.LayerRecords.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var r in store.LayerRecords.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (!store.Dirs.ContainsKey(r.Id) && !store.StoreFiles.Refused.Contains(Path.Combine(overlay, r.Id)))
                f.Add(new StoreFinding(StoreProblem.MissingLayerDir, Path.Combine(overlay, r.Id), r.Id,
                    $"layer {r.Id} (layers.json) has no dir overlay/{r.Id}."));
            if (r.Parent is not null && !records.ContainsKey(r.Parent))
                f.Add(new StoreFinding(StoreProblem.MissingParent, layersJson, r.Id,
                    $"layer {r.Id} has parent {r.Parent}, which is not in layers.json."));
        }

        foreach (var d in store.Dirs.Values.OrderBy(d => d.CacheId, StringComparer.Ordinal))
        {
            if (!records.ContainsKey(d.CacheId))
                f.Add(new StoreFinding(StoreProblem.UnreferencedDir, d.Path, d.CacheId,
                    $"overlay dir {d.CacheId} has no entry in layers.json: no image or container uses it."));
            f.AddRange(OverlayLinkCheck.OfDir(d, store.Links, store.StoreFiles, overlay, "overlay dir"));
        }

        // l/: each link must point at ../<id>/diff of an existing layer dir; its target is
        // read as text, never followed.
        f.AddRange(OverlayLinkCheck.OfLinks(store.Dirs, store.Links, overlay, "overlay dir"));

        var imagesJson = Path.Combine(store.Root, StorageRecords.ImagesJson);
        foreach (var img in store.ImageRecords)
            if (img.TopLayer is not null && !records.ContainsKey(img.TopLayer))
                f.Add(new StoreFinding(StoreProblem.MissingImageLayer, imagesJson, "sha256:" + img.Id,
                    $"image {Digests.Short(img.Id)} has top layer {img.TopLayer}, which is not in layers.json."));
        var containersJson = Path.Combine(store.Root, StorageRecords.ContainersJson);
        var imageIds = new HashSet<string>(store.ImageRecords.Select(i => i.Id), StringComparer.Ordinal);
        foreach (var c in store.ContainerRecords)
        {
            var name = c.Names.Count > 0 ? c.Names[0] : Digests.Short(c.Id);
            if (c.LayerId is null || !records.ContainsKey(c.LayerId))
                f.Add(new StoreFinding(StoreProblem.MissingContainerLayer, containersJson, c.Id,
                    $"container {name}'s read-write layer {c.LayerId ?? "(none)"} is not in layers.json."));
            if (c.ImageId is not null && !imageIds.Contains(c.ImageId))
                f.Add(new StoreFinding(StoreProblem.MissingImage, containersJson, c.Id,
                    $"container {name} uses image {Digests.Short(c.ImageId)}, which is not in images.json."));
        }
        return f.Select(x => x with { Store = store.Root, StoreKind = StoreKind.Podman }).ToList();
    }
}
