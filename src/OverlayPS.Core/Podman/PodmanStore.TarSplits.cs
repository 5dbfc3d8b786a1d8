using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Podman;

public sealed partial class PodmanStore
{
    /// <summary>containers-storage keeps the tar-split of every layer it unpacked from a tar
    /// (pulled, loaded, built): <c>overlay-layers/&lt;id&gt;.tar-split.gz</c>, the same format as
    /// docker's (vbatts/tar-split JSON lines, gzip).</summary>
    public override bool HasTarSplits => true;

    internal override FileStream? OpenTarSplit(DockerLayer layer, out LayerFileOpen status)
    {
        status = LayerFileOpen.Missing;
        if (!StoreIds.IsLayerDir(layer.CacheId))
            return null;
        return LayerFileAccess.OpenStoreFile(RootDir, TarSplitRel(layer), DockerStore.MaxTarSplitFileBytes, out status);
    }

    public override string TarSplitPath(DockerLayer layer) => Path.Combine(Root, TarSplitRel(layer));

    static string TarSplitRel(DockerLayer layer) => $"overlay-layers/{layer.CacheId}.tar-split.gz";
}
