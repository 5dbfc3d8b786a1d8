using System.Security.Cryptography;
using System.Text;

namespace OverlayPS.Core.Docker;

/// <summary>Content addresses as moby's layer store computes them.</summary>
public static class Digests
{
    /// <summary>
    /// ChainIDs bottom to top, from DiffIDs bottom to top (moby layer.CreateChainID, the OCI
    /// image-spec rule): ChainID(L0) = DiffID(L0); ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)).
    /// </summary>
    public static IReadOnlyList<string> ChainIds(IReadOnlyList<string> diffIds)
    {
        var result = new string[diffIds.Count];
        for (int i = 0; i < diffIds.Count; i++)
            result[i] = i == 0 ? diffIds[0] : Sha256(result[i - 1] + " " + diffIds[i]);
        return result;
    }

    public static string Sha256(string text) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    public static string Sha256(byte[] data) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant();

    /// <summary>"sha256:abc..." -> "abc..." (the form used as a directory name).</summary>
    public static string Hex(string digest)
    {
        int colon = digest.IndexOf(':');
        return colon < 0 ? digest : digest[(colon + 1)..];
    }

    /// <summary>The 12-character id docker prints.</summary>
    public static string Short(string digestOrId)
    {
        var hex = Hex(digestOrId);
        return hex.Length > 12 ? hex[..12] : hex;
    }
}
