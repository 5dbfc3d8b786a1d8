using OverlayPS.Core.Docker;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>
    /// The read-only stack of an image: its layers' diff dirs, topmost first (what a container's
    /// lowerdir= holds below the init layer). The markers are read in the store's own xattr
    /// namespace (<see cref="UserXattr"/>: trusted.* for rootful engines, which needs root to read).
    /// </summary>
    public LayerStack ImageStack(DockerImage image) => Describe(ImageLayers(image));

    /// <summary>The image's merged view, served from its diff dirs as opened beneath the store
    /// root: the engine never walks their paths (see <see cref="OpenAllDiffs"/>).</summary>
    public OverlayFs OpenImage(DockerImage image, OverlayFsOptions? options = null) => Serve(ImageLayers(image), options);

    List<DockerLayer> ImageLayers(DockerImage image)
    {
        int missing = image.Layers.ToList().FindIndex(l => l is null || !l.Exists);
        if (missing >= 0)
            throw new InvalidDataException(
                $"Image {image.Name} cannot be opened: its layer {missing + 1} ({image.ChainIds[missing]}) is missing from the store; run Test-OverlayStore.");
        if (image.Layers.Count == 0)
            throw new InvalidDataException(
                $"Image {image.Name} has no layers (its filesystem is empty: FROM scratch with no files), so there is nothing to show.");
        return image.Layers.Reverse().Select(l => l!).ToList();
    }

    /// <summary>
    /// A container's filesystem, read-only: its read-write layer, init layer and image layers,
    /// all as lowers (no upper: nothing is written into a store docker owns).
    /// </summary>
    public LayerStack ContainerStack(DockerContainer container) => Describe(ContainerLayers(container));

    /// <summary>The container's merged view (read-only), served from held diff dirs.</summary>
    public OverlayFs OpenContainer(DockerContainer container, OverlayFsOptions? options = null) =>
        Serve(ContainerLayers(container), options);

    List<DockerLayer> ContainerLayers(DockerContainer container)
    {
        if (container.RwLayer is not { Exists: true } rw)
            throw new InvalidDataException(container.RwLayer is null ? container.NoRwLayerReason
                : $"Container {container.Name} cannot be opened: its read-write layer is missing from the store.");
        var layers = new List<DockerLayer> { rw };
        layers.AddRange(LowerLayers(rw).Reverse());
        return layers;
    }

    /// <summary>
    /// Each layer's diff dir opened beneath the store root, never through a link (a diff that
    /// is a symlink is an <see cref="UnsafeStoreException"/>), topmost first. The caller owns
    /// the handles.
    /// </summary>
    List<DirHandle> OpenAllDiffs(IEnumerable<DockerLayer> layersTopFirst)
    {
        var opened = new List<DirHandle>();
        try
        {
            foreach (var l in layersTopFirst)
                opened.Add(OpenDiff(l)
                    ?? throw new InvalidDataException($"Layer {l.CacheId} cannot be opened: its diff dir '{l.DiffPath}' is missing from the store; run Test-OverlayStore."));
            return opened;
        }
        catch
        {
            opened.ForEach(d => d.Dispose());
            throw;
        }
    }

    /// <summary>The stack as paths (the real path of each diff as opened), for display and
    /// kernel mounts, marked with the store's xattr namespace.</summary>
    LayerStack Describe(List<DockerLayer> layersTopFirst)
    {
        var opened = OpenAllDiffs(layersTopFirst);
        try { return new LayerStack(opened.Select(d => d.Path), userXattr: UserXattr); }
        finally { opened.ForEach(d => d.Dispose()); }
    }

    /// <summary>The engine over the held diff dirs: what a drive on an image or container reads.</summary>
    OverlayFs Serve(List<DockerLayer> layersTopFirst, OverlayFsOptions? options)
    {
        var opened = OpenAllDiffs(layersTopFirst);
        try
        {
            var stack = new LayerStack(opened.Select(d => d.Path), userXattr: UserXattr);
            return new OverlayFs(stack, ViewOptions(options), new LayerRoots(opened));
        }
        catch
        {
            opened.ForEach(d => d.Dispose());
            throw;
        }
    }

    /// <summary>The store's layer behind each lower of a stack built above, topmost first.</summary>
    public IReadOnlyList<DockerLayer?> LayersOf(LayerStack stack) =>
        stack.Lowers.Select(d => LayerOwningPath(d)).ToList();
}
