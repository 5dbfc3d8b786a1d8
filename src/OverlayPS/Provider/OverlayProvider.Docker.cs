using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Union;

namespace OverlayPS.Provider;

public sealed partial class OverlayProvider
{
    /// <summary>
    /// New-PSDrive -Image/-Container: the read-only view of a Docker image or container read
    /// from an overlay2 store, served from its diff dirs as held beneath the store root (-Store, /var/lib/docker by default). Null when the parameters
    /// ask for no Docker view; throws (and the caller writes the error) when the store or the
    /// name does not resolve to exactly one.
    /// </summary>
    OverlayFs? DockerView(OverlayDriveParameters p)
    {
        if (p.Image is null && p.Container is null)
            return null;
        if (p.Image is not null && p.Container is not null)
            throw new ArgumentException("Give -Image or -Container, not both.");
        if (p.LowerDir is not null || p.UpperDir is not null || p.WorkDir is not null)
            throw new ArgumentException("-Image and -Container build the layer stack from the Docker store: do not also give -LowerDir, -UpperDir or -WorkDir.");
        var store = DockerStore.Open(ResolveHostPath(p.Store ?? DockerStore.DefaultRoot));
        if (p.Image is not null)
        {
            var images = store.FindImages(p.Image).ToList();
            if (images.Count != 1)
                throw new ArgumentException(images.Count == 0
                    ? $"No image '{p.Image}' in the Docker store '{store.Root}'."
                    : $"'{p.Image}' names {images.Count} images ({string.Join(", ", images.Select(i => i.Name))}); give one.");
            return store.OpenImage(images[0]);
        }
        var containers = store.FindContainers(p.Container!).ToList();
        if (containers.Count != 1)
            throw new ArgumentException(containers.Count == 0
                ? $"No container '{p.Container}' in the Docker store '{store.Root}'."
                : $"'{p.Container}' names {containers.Count} containers; give one.");
        return store.OpenContainer(containers[0]);
    }
}
