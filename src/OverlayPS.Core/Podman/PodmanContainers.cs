using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Podman;

/// <summary>
/// Containers of a containers-storage store: containers.json names each one's image and
/// read-write layer; the read-only layers are that layer's parents in layers.json (what the
/// container mounts, even after its image lost its name or was removed). Run state is libpod's
/// (libpod/bolt_state.db, a bbolt database) and not read here: State is "unknown", except
/// "created" for a container podman never started (it writes userdata/config.json at the first
/// start).
/// </summary>
internal static class PodmanContainers
{
    public static List<DockerContainer> Build(PodmanStore store)
    {
        var imagesById = store.Images.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var containers = new List<DockerContainer>();
        foreach (var r in store.ContainerRecords)
        {
            var imageId = r.ImageId is null ? null : "sha256:" + r.ImageId;
            var image = imageId is null ? null : imagesById.GetValueOrDefault(imageId);
            var rw = r.LayerId is null ? null : store.LayerByCacheId(r.LayerId);
            var c = new DockerContainer
            {
                Store = store.Root,
                StoreKind = StoreKind.Podman,
                Id = r.Id,
                Name = r.Names.Count > 0 ? r.Names[0] : Digests.Short(r.Id),
                ImageId = imageId,
                Image = r.ImageName ?? image?.Name ?? (imageId is null ? null : Digests.Short(imageId)),
                State = store.StoreFiles.Exists($"overlay-containers/{r.Id}/userdata/config.json") ? "unknown" : "created",
                Created = r.Created,
                Driver = "overlay",
                ImageObject = image,
                RwLayer = rw,
                ImageLayers = rw?.Parent is { } parent
                    ? new TopmostFirst<DockerLayer>(store.Chain(parent).Select(id => store.LayerByCacheId(id)!)).ToBaseFirst()
                    : rw is null ? null : BaseFirst<DockerLayer>.Empty,
            };
            containers.Add(c);
        }
        return containers.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Who uses what: top-level images and containers, on each layer of their stack.</summary>
    public static void MarkUsers(PodmanStore store)
    {
        foreach (var img in store.Images.Where(i => !i.IsIntermediate))
            foreach (var l in img.GetLayers().OfType<DockerLayer>())
            {
                l.Images.Add(img.Name);
                l.ImageIds.Add(img.Id);
            }
        foreach (var c in store.Containers)
        {
            c.GetImage()?.Containers.Add(c.Name);
            foreach (var l in c.GetLayers())
                l.Containers.Add(c.Name);
        }
    }
}
