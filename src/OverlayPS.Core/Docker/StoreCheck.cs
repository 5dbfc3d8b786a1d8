namespace OverlayPS.Core.Docker;

/// <summary>
/// Checks the references between layerdb, layerdb/mounts, overlay2 dirs, l/ links and lower
/// files, and reports each broken one. Reads only what opening the store read: changes nothing.
/// </summary>
public static class StoreCheck
{
    public static IReadOnlyList<StoreFinding> Run(DockerStore store)
    {
        var f = new List<StoreFinding>();
        var o2 = store.Overlay2Path;
        var layerDbSha = Path.Combine(store.LayerDbPath, "sha256");

        foreach (var p in store.ReadProblems)
            f.Add(new StoreFinding(StoreProblem.Unparsable, store.Root, "", p));
        // Files and dirs refused while reading: links, FIFOs, devices, oversized files, bad ids.
        f.AddRange(store.StoreFiles.Findings);

        // layerdb/sha256: unfinished removals, incomplete entries, dirs that are gone, parents.
        var liveChains = new HashSet<string>(store.LayerDb.Where(e => !e.Removing).Select(e => e.ChainId), StringComparer.Ordinal);
        foreach (var e in store.LayerDb.OrderBy(e => e.DirName, StringComparer.Ordinal))
        {
            var path = Path.Combine(layerDbSha, e.DirName);
            if (e.Removing)
            {
                f.Add(new StoreFinding(StoreProblem.UnfinishedRemoval, path, e.ChainId,
                    $"layerdb entry '{e.DirName}' is a removal of layer {e.ChainId} that did not finish."));
                continue;
            }
            if (e.CacheId is null || e.DiffId is null)
            {
                var file = e.CacheId is null ? "cache-id" : "diff";
                // A file refused while reading (a link, a bad id) is reported as that already.
                if (!store.StoreFiles.Refused.Contains(Path.Combine(path, file)))
                    f.Add(new StoreFinding(StoreProblem.IncompleteLayerDbEntry, path, e.ChainId,
                        $"layerdb entry {e.ChainId} lacks its {file} file."));
                if (e.CacheId is null) continue;
            }
            if (!store.Dirs.ContainsKey(e.CacheId!))
                f.Add(new StoreFinding(StoreProblem.MissingLayerDir, Path.Combine(o2, e.CacheId!), e.ChainId,
                    $"layer {e.ChainId} (layerdb) names overlay2 dir {e.CacheId}, which does not exist."));
            if (e.Parent is not null && !liveChains.Contains(e.Parent))
                f.Add(new StoreFinding(StoreProblem.MissingParent, path, e.ChainId,
                    $"layer {e.ChainId} has parent {e.Parent}, which has no layerdb entry."));
        }

        // layerdb/mounts: containers' dirs.
        foreach (var m in store.MountDb.OrderBy(m => m.ContainerId, StringComparer.Ordinal))
            foreach (var (what, id) in new[] { ("read-write", m.MountId), ("init", m.InitId) })
                if (id is not null && !store.Dirs.ContainsKey(id))
                    f.Add(new StoreFinding(StoreProblem.MissingLayerDir, Path.Combine(o2, id), m.ContainerId,
                        $"container {Digests.Short(m.ContainerId)}'s {what} layer names overlay2 dir {id}, which does not exist."));

        // A mount whose container is gone. BuildKit's build-step mounts (named by a 25-character
        // BuildKit id) have no container by design and go when the build ends.
        var containerIds = new HashSet<string>(store.Containers.Select(c => c.Id), StringComparer.Ordinal);
        // (A config that is there but unparsable is reported as such above.)
        foreach (var m in store.MountDb.Where(m => !containerIds.Contains(m.ContainerId) && m.ContainerId.Length == 64
                         && !store.StoreFiles.Exists($"{ContainerConfigReader.Rel}/{m.ContainerId}/config.v2.json"))
                     .OrderBy(m => m.ContainerId, StringComparer.Ordinal))
            f.Add(new StoreFinding(StoreProblem.OrphanContainerLayer, Path.Combine(store.LayerDbPath, "mounts", m.ContainerId), m.ContainerId,
                $"layerdb/mounts/{Digests.Short(m.ContainerId)} belongs to no container (containers/{Digests.Short(m.ContainerId)}/config.v2.json is gone): its overlay2 dirs {m.MountId}{(m.InitId is null ? "" : " and " + m.InitId)} use disk nothing frees."));

        // overlay2 dirs: referenced? removing? link present?
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in store.LayerDb.Where(e => !e.Removing && e.CacheId is not null)) referenced.Add(e.CacheId!);
        foreach (var m in store.MountDb)
        {
            if (m.MountId is not null) referenced.Add(m.MountId);
            if (m.InitId is not null) referenced.Add(m.InitId);
        }
        foreach (var d in store.Dirs.Values.OrderBy(d => d.CacheId, StringComparer.Ordinal))
        {
            if (d.IsRemoving)
            {
                f.Add(new StoreFinding(StoreProblem.UnfinishedRemoval, d.Path, d.CacheId,
                    $"overlay2 dir '{d.CacheId}' is a removal that did not finish."));
                continue;
            }
            // BuildKit's build-step dirs are referenced from its own bbolt database, not read here.
            if (!referenced.Contains(d.CacheId) && !d.IsBuildKitSnapshot)
                f.Add(new StoreFinding(StoreProblem.UnreferencedDir, d.Path, d.CacheId,
                    $"overlay2 dir {d.CacheId} is referenced by no layerdb entry and no container."));
            f.AddRange(OverlayLinkCheck.OfDir(d, store.Links, store.StoreFiles, o2, "overlay2 dir"));
        }

        // l/: each link must point at ../<id>/diff of an existing dir.
        f.AddRange(OverlayLinkCheck.OfLinks(store.Dirs, store.Links, o2, "overlay2 dir"));

        // Images and containers whose layers or image are gone.
        foreach (var img in store.Images)
        {
            int missing = img.Layers.ToList().FindIndex(l => l is null);
            if (missing >= 0)
                f.Add(new StoreFinding(StoreProblem.MissingImageLayer,
                    Path.Combine(layerDbSha, Digests.Hex(img.ChainIds[missing])), img.Id,
                    $"image {img.Name} needs layer {img.ChainIds[missing]} (position {missing + 1}), which has no layerdb entry."));
        }
        // (A mount-id refused while reading is reported as that already.)
        foreach (var c in store.Containers.Where(c => c.RwLayer is null && c.Driver is null or "overlay2"
                     && !store.StoreFiles.Refused.Contains(Path.Combine(store.LayerDbPath, "mounts", c.Id, "mount-id"))))
            f.Add(new StoreFinding(StoreProblem.MissingContainerLayer, Path.Combine(store.LayerDbPath, "mounts", c.Id), c.Id,
                $"container {c.Name} has no layerdb/mounts entry: its read-write layer is unknown and docker cannot start it."));
        // A container of another driver (made after the root moved to the containerd image
        // store) uses an image of that store, not of imagedb: nothing is missing.
        foreach (var c in store.Containers.Where(c => c.Driver is null or "overlay2"))
            if (c.ImageId is not null && c.ImageObject is null)
                f.Add(new StoreFinding(StoreProblem.MissingImage, Path.Combine(store.Root, "containers", c.Id), c.Id,
                    c.RwLayer is not null && c.RwLayer.Lowers.All(id => store.Dirs.ContainsKey(id))
                        ? $"container {c.Name} uses image {c.ImageId}, whose config is gone (as docker rmi -f leaves it; the container's layers are all here and it still runs)."
                        : $"container {c.Name} uses image {c.ImageId}, whose config is gone."));
        return f.Select(x => x with { Store = store.Root }).ToList();
    }
}
