using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Containerd;

/// <summary>
/// containerd's content store (io.containerd.content.v1.content/blobs/sha256/&lt;hex&gt;): the
/// index, manifest and config blobs an image is described by. A digest is used as a path only
/// when it is <c>sha256:</c> + 64 hex, the blob is read as a bounded regular file beneath the
/// store root (see <see cref="StoreFiles"/>), and its bytes must hash to the digest: a blob that
/// does not is reported and not used.
/// </summary>
internal sealed class ContentBlobs
{
    public const string Rel = "io.containerd.content.v1.content/blobs/sha256";

    readonly StoreFiles _files;
    readonly string _prefix;
    readonly List<string> _problems;

    /// <param name="prefix">The containerd root relative to the store root ("" or "containerd/daemon/").</param>
    public ContentBlobs(StoreFiles files, string prefix, List<string> problems)
    {
        _files = files;
        _prefix = prefix;
        _problems = problems;
    }

    /// <summary>The blob's bytes; null (with a problem recorded) when the digest is not a
    /// sha256 digest, the blob is absent, refused, or does not match its digest.</summary>
    public byte[]? Read(string? digest, string what)
    {
        if (!StoreIds.IsDigest(digest))
        {
            _problems.Add($"{what} names the blob '{StoreIds.Show(digest ?? "")}', not a sha256 digest: it is not looked up.");
            return null;
        }
        var rel = $"{_prefix}{Rel}/{Digests.Hex(digest!)}";
        var bytes = _files.ReadJson(rel, digest!);
        if (bytes is null)
        {
            if (!_files.Refused.Contains(_files.FullPath(rel)))
                _problems.Add($"{what} needs the blob {digest}, which is not in the content store ('{_files.FullPath(rel)}').");
            return null;
        }
        if (Digests.Sha256(bytes) != digest)
        {
            _problems.Add($"the content blob '{_files.FullPath(rel)}' does not hash to its name {digest}: it is not used.");
            return null;
        }
        return bytes;
    }
}
