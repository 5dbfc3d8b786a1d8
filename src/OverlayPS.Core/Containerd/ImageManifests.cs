using System.Runtime.InteropServices;
using System.Text.Json;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Containerd;

/// <summary>An image's target resolved down to its config: which manifest (the host
/// platform's, when the target is an index) and the config it names.</summary>
internal sealed record ResolvedImage(string? ManifestDigest, ImageConfig? Config);

/// <summary>
/// From an image's target descriptor to its config (OCI image-spec, and Docker's schema 2
/// equivalents): an index (or Docker manifest list) is narrowed to the manifest of the host
/// platform (os linux, the host architecture), as containerd's platforms.Default() matcher does
/// on unpack; the manifest's <c>config</c> is the image config, whose <c>rootfs.diff_ids</c>
/// give the ChainIDs that key its snapshots.
/// </summary>
internal static class ImageManifests
{
    static readonly HashSet<string> IndexTypes = new(StringComparer.Ordinal)
    {
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    };

    /// <summary>An index nested in an index is allowed; deeper is damage (or a loop of digests).</summary>
    const int MaxIndexDepth = 4;

    /// <summary>The host's architecture in OCI's names (GOARCH).</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static ResolvedImage Resolve(ContentBlobs blobs, ContainerdImageRecord image, string architecture, List<string> problems)
    {
        string? digest = image.TargetDigest;
        string? mediaType = image.TargetMediaType;
        var what = $"image {image.Name}";
        for (int depth = 0; ; depth++)
        {
            var bytes = blobs.Read(digest, what);
            if (bytes is null)
                return new ResolvedImage(null, null);
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                var type = mediaType ?? Str(root, "mediaType");
                if (type is not null && IndexTypes.Contains(type) || root.TryGetProperty("manifests", out _))
                {
                    if (depth >= MaxIndexDepth)
                    {
                        problems.Add($"{what}: indexes nest deeper than {MaxIndexDepth}.");
                        return new ResolvedImage(null, null);
                    }
                    var pick = PickPlatform(root, architecture);
                    if (pick is null)
                    {
                        problems.Add($"{what}: its index {digest} has no manifest for linux/{architecture}.");
                        return new ResolvedImage(null, null);
                    }
                    (digest, mediaType) = pick.Value;
                    continue;
                }
                var configDigest = root.TryGetProperty("config", out var cfg) ? Str(cfg, "digest") : null;
                var configBytes = blobs.Read(configDigest, $"{what}'s manifest {digest}");
                if (configBytes is null)
                    return new ResolvedImage(digest, null);
                return new ResolvedImage(digest, ImageDbReader.Parse(configDigest!, configBytes, null));
            }
            // InvalidOperationException: valid JSON of the wrong shape.
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                problems.Add($"{what}: blob {digest} is not a manifest, index or config: {e.Message}");
                return new ResolvedImage(null, null);
            }
        }
    }

    /// <summary>The first manifest for linux and <paramref name="architecture"/>; attestation
    /// manifests (platform unknown/unknown) never match.</summary>
    static (string Digest, string? MediaType)? PickPlatform(JsonElement index, string architecture)
    {
        if (!index.TryGetProperty("manifests", out var list) || list.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var m in list.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.Object || Str(m, "digest") is not { } d)
                continue;
            if (m.TryGetProperty("platform", out var p) && p.ValueKind == JsonValueKind.Object
                && Str(p, "os") == "linux" && Str(p, "architecture") == architecture)
                return (d, Str(m, "mediaType"));
        }
        return null;
    }

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
