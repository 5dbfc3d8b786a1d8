using OverlayPS.Core.Layers;

namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>
    /// The read-only stack of an image: its layers' diff dirs, topmost first (what a container's
    /// lowerdir= holds below the init layer). Docker writes trusted.overlay.* markers, so the
    /// stack reads trusted.* whoever asks (reading them needs root).
    /// </summary>
    public LayerStack ImageStack(DockerImage image)
    {
        int missing = image.Layers.ToList().FindIndex(l => l is null || !l.Exists);
        if (missing >= 0)
            throw new InvalidDataException(
                $"Image {image.Name} cannot be opened: its layer {missing + 1} ({image.ChainIds[missing]}) is missing from the store; run Test-OverlayStore.");
        if (image.Layers.Count == 0)
            throw new InvalidDataException(
                $"Image {image.Name} has no layers (its filesystem is empty: FROM scratch with no files), so there is nothing to show.");
        return new LayerStack(image.Layers.Reverse().Select(l => l!.DiffPath), userXattr: false);
    }

    /// <summary>
    /// A container's filesystem, read-only: its read-write layer, init layer and image layers,
    /// all as lowers (no upper: nothing is written into a store docker owns).
    /// </summary>
    public LayerStack ContainerStack(DockerContainer container)
    {
        if (container.RwLayer is not { Exists: true } rw)
            throw new InvalidDataException(container.RwLayer is null ? container.NoRwLayerReason
                : $"Container {container.Name} cannot be opened: its read-write layer is missing from the store.");
        var lowers = new List<string> { rw.DiffPath };
        lowers.AddRange(LowerDiffDirs(rw).Reverse());
        return new LayerStack(lowers, userXattr: false);
    }

    /// <summary>The docker layer behind each lower of a stack built above, topmost first.</summary>
    public IReadOnlyList<DockerLayer?> LayersOf(LayerStack stack) =>
        stack.Lowers.Select(d => LayerOwningPath(d)).ToList();
}
