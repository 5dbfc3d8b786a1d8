using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Artifacts;

/// <summary>Where verification or export of a store's layers is.</summary>
public sealed record LayerProgress(int LayerIndex, int LayerCount, string Layer, long Bytes, long LayerSize);

/// <summary>What rebuilding one store layer's tar gave: its digest (null when the tar-split
/// could not be used) and every finding, as Test-OverlayStore reports them.</summary>
public sealed record LayerVerification(DockerLayer Layer, string? Digest, long Bytes, int Files, IReadOnlyList<StoreFinding> Findings)
{
    public bool Verified => Findings.Count == 0;
}

/// <summary>A layer whose tar could not be rebuilt exactly: nothing was written for it.</summary>
public sealed class LayerVerificationException : IOException
{
    public LayerVerification Verification { get; }

    public LayerVerificationException(LayerVerification v)
        : base($"Layer {v.Layer.DiffId ?? v.Layer.CacheId} does not verify ({v.Findings.Count} finding(s)), so its tar would not be the one docker made: "
               + string.Join(" ", v.Findings.Take(3).Select(f => f.Message)) + (v.Findings.Count > 3 ? " ..." : "")
               + " Run Test-OverlayStore -Verify for all of them.")
        => Verification = v;
}
