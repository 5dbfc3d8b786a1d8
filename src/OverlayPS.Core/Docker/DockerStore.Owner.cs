using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    /// <summary>
    /// "Who owns this dir?": the layer a path inside the store belongs to: overlay2/&lt;id&gt;/...,
    /// overlay2/l/&lt;link&gt;, image/overlay2/layerdb/sha256/&lt;chain&gt;, layerdb/mounts/&lt;container&gt;,
    /// containers/&lt;id&gt;. Null when the path is in the store but belongs to no layer.
    /// </summary>
    public override DockerLayer? LayerOwningPath(string path)
    {
        var rel = PathInStore(Path.GetFullPath(path));
        if (rel is null)
            return null;
        var parts = rel.Split('/');
        if (parts[0] == "overlay2" && parts.Length >= 2)
        {
            if (parts[1] == "l" && parts.Length >= 3)
            {
                var target = Overlay2DirReader.CacheIdOfLinkTarget(Links.GetValueOrDefault(parts[2]));
                return target is null ? null : LayerByCacheId(target);
            }
            return LayerByCacheId(parts[1]);
        }
        if (parts.Length >= 5 && parts[0] == "image" && parts[2] == "layerdb")
        {
            if (parts[3] == "sha256")
            {
                var chain = "sha256:" + parts[4].Split('-')[0];
                return Layers.FirstOrDefault(l => l.ChainId == chain);
            }
            if (parts[3] == "mounts")
                return Containers.FirstOrDefault(c => c.Id == parts[4])?.RwLayer;
        }
        if (parts[0] == "containers" && parts.Length >= 2)
            return Containers.FirstOrDefault(c => c.Id == parts[1])?.RwLayer;
        return null;
    }
}
