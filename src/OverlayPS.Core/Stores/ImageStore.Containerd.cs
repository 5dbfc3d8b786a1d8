using OverlayPS.Core.Containerd;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>The containerd namespace read (images, containers and snapshots are per
    /// namespace there); null for stores without namespaces.</summary>
    public virtual string? Namespace => null;

    /// <summary>Why a path inside the store has no owner among the layers read, when another
    /// part of the store owns it (a containerd snapshot of another namespace); null otherwise.</summary>
    public virtual string? OwnedOutsideView(string path) => null;

    /// <summary>
    /// <see cref="Open(string)"/>, with the containerd namespace to read when the store is a
    /// containerd root or a Docker data root using the containerd image store (default
    /// <c>moby</c> under a Docker root, <c>default</c> otherwise). A namespace given for a store
    /// without namespaces is a <see cref="NamespaceNotFoundException"/>, not silently ignored.
    /// </summary>
    public static ImageStore Open(string root, string? containerdNamespace)
    {
        var full = Path.GetFullPath(root).TrimEnd('/');
        if (full.Length == 0) full = "/";
        var kind = StoreKindDetector.Detect(full, out var description);
        if (kind is StoreKind.ContainerdOverlayfs or StoreKind.DockerContainerdImageStore)
            return ContainerdStore.Open(full, kind, description, containerdNamespace);
        if (containerdNamespace is not null)
            throw new NamespaceNotFoundException(containerdNamespace, $"-Namespace applies to containerd stores only; '{full}' is not one ({description})");
        return Open(full);
    }
}
