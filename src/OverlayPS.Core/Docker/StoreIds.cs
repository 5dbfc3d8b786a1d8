using System.Text.RegularExpressions;

namespace OverlayPS.Core.Docker;

/// <summary>
/// The forms moby gives the ids it writes into a store, checked before any of them is used as
/// a path component (a <c>cache-id</c> of <c>../..</c> must never name a host dir):
/// - an overlay2 dir (cache-id, mount-id): 64 lowercase hex (moby pkg/stringid
///   GenerateRandomID; layer/layer_unix.go mountID), or a BuildKit snapshot key of 25 base-36
///   characters (RegisterByGraphID); an init layer is the container's mount id plus
///   <c>-init</c> (layer/mounted_layer.go);
/// - an l/ link name: 26 characters (overlay2 driver generateID: base32, upper case);
/// - ChainIDs, DiffIDs and image ids: <c>sha256:</c> and 64 hex (go-digest); container ids:
///   64 hex.
/// Nothing of these forms can be empty, hold '/', NUL or be "." or "..".
/// </summary>
public static partial class StoreIds
{
    [GeneratedRegex("^(?:[0-9a-f]{64}|[0-9a-z]{25})(?:-init)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerDirRx();

    [GeneratedRegex("^[A-Z0-9]{26}$", RegexOptions.CultureInvariant)]
    private static partial Regex LinkRx();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexIdRx();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestRx();

    /// <summary>An overlay2 dir name as cache-id, mount-id and init-id hold it.</summary>
    public static bool IsLayerDir(string? id) => id is not null && LayerDirRx().IsMatch(id);

    /// <summary>A name of overlay2/l/ as link files and lower files hold it.</summary>
    public static bool IsLink(string? name) => name is not null && LinkRx().IsMatch(name);

    /// <summary>A container id (moby GenerateRandomID): 64 lowercase hex.</summary>
    public static bool IsHexId(string? id) => id is not null && HexIdRx().IsMatch(id);

    /// <summary>A sha256 digest: ChainID, DiffID, image id.</summary>
    public static bool IsDigest(string? id) => id is not null && DigestRx().IsMatch(id);

    /// <summary>An id as shown in a message: control characters escaped, long ones cut.</summary>
    public static string Show(string id)
    {
        var shown = Regex.Replace(id, @"[\x00-\x1f\x7f]", m => $"\\x{(int)m.Value[0]:x2}");
        return shown.Length > 80 ? shown[..80] + "..." : shown;
    }
}
