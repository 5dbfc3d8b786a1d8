using OverlayPS.Core.Artifacts;

namespace OverlayPS.Core.Docker;

public sealed partial class DockerStore
{
    public override bool HasTarSplits => true;

    /// <summary>Largest tar-split.json.gz opened: compressed, it is a few percent of the JSON
    /// (whose own bound is <see cref="TarSplitLimits.MaxTotalBytes"/>).</summary>
    public const long MaxTarSplitFileBytes = 256L << 20;

    /// <summary>
    /// A layer's <c>layerdb/sha256/&lt;chain&gt;/tar-split.json.gz</c>, opened beneath the store root
    /// with no symlink on the way, only when it is a regular file (a FIFO, a link or a device
    /// there is refused, never read). Null when the layer has no ChainID or no tar-split;
    /// <paramref name="status"/> says which. The caller owns the stream.
    /// </summary>
    internal override FileStream? OpenTarSplit(DockerLayer layer, out LayerFileOpen status)
    {
        status = LayerFileOpen.Missing;
        if (!StoreIds.IsDigest(layer.ChainId))
            return null;
        var rel = $"{LayerDbReader.Rel}/sha256/{Digests.Hex(layer.ChainId!)}/tar-split.json.gz";
        return LayerFileAccess.OpenStoreFile(RootDir, rel, MaxTarSplitFileBytes, out status);
    }

    /// <summary>Where a layer's tar-split is (for messages).</summary>
    public override string TarSplitPath(DockerLayer layer) =>
        Path.Combine(LayerDbPath, "sha256", Digests.Hex(layer.ChainId ?? ""), "tar-split.json.gz");

    /// <summary>An image's config exactly as stored (its sha256 is the image id; checked by the
    /// caller), read bounded from imagedb beneath the store root; null when absent or refused.</summary>
    internal byte[]? ReadImageConfig(string imageId) =>
        StoreIds.IsDigest(imageId) ? StoreFiles.ReadJson($"{ImageDbReader.Rel}/content/sha256/{Digests.Hex(imageId)}", imageId) : null;
}
