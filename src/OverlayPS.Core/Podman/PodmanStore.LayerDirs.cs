using OverlayPS.Core.Docker;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Core.Podman;

public sealed partial class PodmanStore
{
    /// <summary>A layer's <c>overlay/&lt;id&gt;/diff</c>, opened beneath the store root with no
    /// symlink on the way (see <see cref="Stores.ImageStore.OpenLayerDiff"/>). The l/ links are
    /// never used to reach a layer.</summary>
    internal override DirHandle? OpenDiff(DockerLayer layer) => OpenLayerDiff(layer, "overlay");

    /// <summary>The layers below a layer, base first, by its parents in layers.json (what
    /// containers-storage writes the layer's lower file from). Throws when a parent has no
    /// record or no dir: a broken store.</summary>
    public override BaseFirst<DockerLayer> LowerLayers(DockerLayer layer)
    {
        var layers = new List<DockerLayer>();     // parent first: topmost first
        if (Record(layer.CacheId) is not { } record)
            return BaseFirst<DockerLayer>.Empty;      // an unreferenced dir: nothing says what was below it
        var seen = new HashSet<string>(StringComparer.Ordinal) { layer.CacheId };
        for (var parent = record.Parent; parent is not null; parent = Record(parent)?.Parent)
        {
            if (!seen.Add(parent) || LayerByCacheId(parent) is not { Exists: true } l || Record(parent) is null)
                throw new InvalidDataException(
                    $"Layer {layer.CacheId} has a parent {parent} that is not in the store (or its chain loops); run Test-OverlayStore.");
            layers.Add(l);
        }
        return new TopmostFirst<DockerLayer>(layers).ToBaseFirst();
    }

    /// <summary>Rootful podman on Fedora mounts with metacopy=on: its layers hold metadata-only
    /// copy-ups whose data is below. Reading follows them as the kernel does; a store written
    /// without it has no such files, so it reads the same.</summary>
    protected override OverlayFsOptions? ViewOptions(OverlayFsOptions? given) =>
        (given ?? OverlayFsOptions.Default) with { MetaCopy = true };

    /// <summary><c>podman diff</c>'s rules (<see cref="PodmanChanges"/>), not docker diff's.</summary>
    protected override ChangeSet ScanChanges(DirHandle upper, BaseFirst<DirHandle?> lowers, string layerName,
        CancellationToken cancel, Action<Transfer.TransferProgress>? progress) =>
        PodmanChanges.Scan(upper, lowers, layerName, cancel, progress);

    /// <summary>
    /// "Who owns this dir?": overlay/&lt;id&gt;/..., overlay/l/&lt;link&gt; (by its target as text,
    /// never followed), overlay-layers/&lt;id&gt;.tar-split.gz, overlay-containers/&lt;id&gt;/... (the
    /// container's read-write layer). Null for a path in the store that no layer owns.
    /// </summary>
    public override DockerLayer? LayerOwningPath(string path)
    {
        var rel = PathInStore(Path.GetFullPath(path));
        if (rel is null)
            return null;
        var parts = rel.Split('/');
        if (parts[0] == "overlay" && parts.Length >= 2)
        {
            if (parts[1] == "l" && parts.Length >= 3)
                return Overlay2DirReader.CacheIdOfLinkTarget(Links.GetValueOrDefault(parts[2])) is { } target ? LayerByCacheId(target) : null;
            return LayerByCacheId(parts[1]);
        }
        if (parts[0] == "overlay-layers" && parts.Length >= 2 && parts[1].EndsWith(".tar-split.gz", StringComparison.Ordinal))
            return LayerByCacheId(parts[1][..^".tar-split.gz".Length]);
        if (parts[0] == "overlay-containers" && parts.Length >= 2)
            return Containers.FirstOrDefault(c => c.Id == parts[1])?.GetRwLayer();
        return null;
    }
}
