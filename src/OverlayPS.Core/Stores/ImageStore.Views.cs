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

    TopmostFirst<DockerLayer> ImageLayers(DockerImage image)
    {
        int missing = image.Layers.ToList().FindIndex(l => l is null || !l.Exists);
        if (missing >= 0)
            throw new InvalidDataException(
                $"Image {image.Name} cannot be opened: its layer {missing + 1} ({image.ChainIds[missing]}) is missing from the store; run Test-OverlayStore.");
        if (image.Layers.Count == 0)
            throw new InvalidDataException(
                $"Image {image.Name} has no layers (its filesystem is empty: FROM scratch with no files), so there is nothing to show.");
        return new(image.Layers.ToTopmostFirst().Select(l => l!));
    }

    /// <summary>
    /// A container's filesystem, read-only: its read-write layer, init layer and image layers,
    /// all as lowers (no upper: nothing is written into a store docker owns).
    /// </summary>
    public LayerStack ContainerStack(DockerContainer container) => Describe(ContainerLayers(container));

    /// <summary>The container's merged view (read-only), served from held diff dirs.</summary>
    public OverlayFs OpenContainer(DockerContainer container, OverlayFsOptions? options = null) =>
        Serve(ContainerLayers(container), options);

    TopmostFirst<DockerLayer> ContainerLayers(DockerContainer container)
    {
        if (container.RwLayer is not { Exists: true } rw)
            throw new InvalidDataException(container.RwLayer is null ? container.NoRwLayerReason
                : $"Container {container.Name} cannot be opened: its read-write layer is missing from the store.");
        return new(LowerLayers(rw).ToTopmostFirst().Prepend(rw));
    }

    /// <summary>
    /// Each layer's diff dir opened beneath the store root, never through a link (a diff that
    /// is a symlink is an <see cref="UnsafeStoreException"/>), topmost first. The caller owns
    /// the handles.
    /// </summary>
    List<DirHandle> OpenAllDiffs(TopmostFirst<DockerLayer> layers)
    {
        var opened = new List<DirHandle>();
        try
        {
            foreach (var l in layers)
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
    LayerStack Describe(TopmostFirst<DockerLayer> layers)
    {
        var opened = OpenAllDiffs(layers);
        try { return new LayerStack(opened.Select(d => d.Path), userXattr: UserXattr); }
        finally { opened.ForEach(d => d.Dispose()); }
    }

    /// <summary>The engine over the held diff dirs: what a drive on an image or container reads.</summary>
    OverlayFs Serve(TopmostFirst<DockerLayer> layers, OverlayFsOptions? options)
    {
        var opened = OpenAllDiffs(layers);
        try
        {
            var stack = new LayerStack(opened.Select(d => d.Path), userXattr: UserXattr);
            return new OverlayFs(stack, ViewOptions(options), new LayerRoots(new(opened)));
        }
        catch
        {
            opened.ForEach(d => d.Dispose());
            throw;
        }
    }

    /// <summary>The store's layer behind each lower of a stack built above, topmost first.</summary>
    public TopmostFirst<DockerLayer?> LayersOf(LayerStack stack) =>
        new(stack.Lowers.Select(d => LayerOwningPath(d)));
}
