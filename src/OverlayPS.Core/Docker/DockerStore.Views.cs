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
        return new LayerStack(CheckedDiffPaths(image.Layers.Reverse().Select(l => l!)), userXattr: false);
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
        var layers = new List<DockerLayer> { rw };
        layers.AddRange(LowerLayers(rw).Reverse());
        return new LayerStack(CheckedDiffPaths(layers), userXattr: false);
    }

    /// <summary>
    /// Each layer's diff dir opened beneath the store root (never through a link: a diff that
    /// is a symlink is an <see cref="UnsafeStoreException"/>), then the path the kernel gives
    /// that open directory. The union engine still takes paths, which it opens again.
    /// TODO(lead, issue 11): hand the engine these held handles instead of their paths once
    /// LayerStack takes DirHandles; this is the one place both Docker stacks are built.
    /// </summary>
    List<string> CheckedDiffPaths(IEnumerable<DockerLayer> layersTopFirst)
    {
        var paths = new List<string>();
        foreach (var l in layersTopFirst)
        {
            using var diff = OpenDiff(l)
                ?? throw new InvalidDataException($"Layer {l.CacheId} cannot be opened: its diff dir '{l.DiffPath}' is missing from the store; run Test-OverlayStore.");
            paths.Add(diff.Path);
        }
        return paths;
    }

    /// <summary>The docker layer behind each lower of a stack built above, topmost first.</summary>
    public IReadOnlyList<DockerLayer?> LayersOf(LayerStack stack) =>
        stack.Lowers.Select(d => LayerOwningPath(d)).ToList();
}
