using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>
    /// Opens the store at <paramref name="root"/> as the kind its layout shows
    /// (<see cref="StoreKindDetector"/>): a Docker overlay2 data root, a containers-storage root.
    /// Throws <see cref="UnsupportedStoreException"/> for a store of a kind that is recognised
    /// but not read, or not recognised; PosixException when it cannot be read.
    /// </summary>
    public static ImageStore Open(string root = DockerStore.DefaultRoot)
    {
        var full = Path.GetFullPath(root).TrimEnd('/');
        if (full.Length == 0) full = "/";
        var kind = StoreKindDetector.Detect(full, out var description);
        return kind switch
        {
            StoreKind.DockerOverlay2 => DockerStore.Open(full),
            StoreKind.Podman => Podman.PodmanStore.Open(full),
            _ => throw new UnsupportedStoreException(kind, full, description),
        };
    }
}
