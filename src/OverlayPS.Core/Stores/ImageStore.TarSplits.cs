using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>Whether the store keeps each image layer's tar-split (docker's layerdb,
    /// containers-storage's overlay-layers), from which the layer's exact tar is rebuilt.
    /// containerd keeps the compressed blobs instead.</summary>
    public virtual bool HasTarSplits => false;

    /// <summary>
    /// A layer's tar-split, opened beneath the store root with no symlink on the way, only when
    /// it is a regular file. Null when the layer has none; <paramref name="status"/> says why.
    /// The caller owns the stream.
    /// </summary>
    internal virtual FileStream? OpenTarSplit(DockerLayer layer, out LayerFileOpen status)
    {
        status = LayerFileOpen.Missing;
        return null;
    }

    /// <summary>Where a layer's tar-split is (for messages).</summary>
    public virtual string TarSplitPath(DockerLayer layer) => Root;
}
