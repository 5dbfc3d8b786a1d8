using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>A layer's overlay2/&lt;id&gt;/diff, opened beneath the store root with no symlink
    /// on the way (see <see cref="ImageStore.OpenLayerDiff"/>).</summary>
    internal override DirHandle? OpenDiff(DockerLayer layer) => OpenLayerDiff(layer, "overlay2");

    /// <summary>The layers below a layer, base first, from its own <c>lower</c> file (what its
    /// mount would use). Throws when a link resolves nowhere: a broken store.</summary>
    public override BaseFirst<DockerLayer> LowerLayers(DockerLayer layer)
    {
        var layers = new List<DockerLayer>();
        foreach (var id in layer.Lowers.ToBaseFirst())
        {
            if (id.StartsWith("l/", StringComparison.Ordinal) || !Dirs.ContainsKey(id) || LayerByCacheId(id) is not { } l)
                throw new InvalidDataException(
                    $"Layer {layer.CacheId} names a lower '{id}' that does not resolve to an overlay2 dir; run Test-OverlayStore.");
            layers.Add(l);
        }
        return new(layers);
    }
}
