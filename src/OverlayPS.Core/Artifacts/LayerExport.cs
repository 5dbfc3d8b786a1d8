using System.IO.Compression;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Artifacts;

/// <summary>
/// Export-OverlayLayer for a store layer: its exact tar (byte for byte the layer.tar
/// <c>docker save</c> writes, sha256 = DiffID), plain or gzip, to a file, all or nothing. A layer
/// that does not verify is not written: <see cref="LayerVerificationException"/> names why.
/// </summary>
public static class LayerExport
{
    public static FileInfo ToFile(ImageStore store, DockerLayer layer, string path, bool compress, bool overwrite,
        Action<long>? progress = null, Func<bool>? stopping = null) =>
        ArtifactFile.Write(path, overwrite, file =>
        {
            LayerVerification v;
            if (compress)
            {
                using var gz = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
                v = StoreLayerTar.Write(store, layer, gz, progress, stopping);
            }
            else
                v = StoreLayerTar.Write(store, layer, file, progress, stopping);
            if (!v.Verified)
                throw new LayerVerificationException(v);
        });
}
