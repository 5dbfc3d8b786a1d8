using System.Text.Json;

namespace OverlayPS.Core.Docker;

/// <summary>One entry of an image config's <c>history</c> (what <c>docker history</c> prints).</summary>
public sealed record HistoryEntry(
    DateTime? Created,
    string? CreatedBy,
    string? Comment,
    bool EmptyLayer);

/// <summary>
/// An image config from <c>imagedb/content/sha256/&lt;id&gt;</c>: the file whose sha256 is the image
/// id. Only what the store reader needs is parsed.
/// </summary>
public sealed record ImageConfig(
    string Id,
    DateTime? Created,
    IReadOnlyList<string> DiffIds,
    IReadOnlyList<HistoryEntry> History,
    string? Parent,
    string? Os,
    string? Architecture,
    bool DigestMatches)
{
    /// <summary>
    /// The history entry that made each DiffID, bottom to top: entries with
    /// <c>empty_layer: true</c> (ENV, LABEL, CMD...) made no layer and are skipped (moby
    /// image/history.go, and how <c>docker history</c> pairs sizes with steps).
    /// </summary>
    public IReadOnlyList<HistoryEntry?> HistoryPerLayer()
    {
        var result = new HistoryEntry?[DiffIds.Count];
        int layer = 0;
        foreach (var h in History)
        {
            if (h.EmptyLayer)
                continue;
            if (layer < result.Length)
                result[layer] = h;
            layer++;
        }
        return result;
    }
}

internal static class ImageDbReader
{
    public const string Rel = "image/overlay2/imagedb";

    public static List<ImageConfig> Read(StoreFiles files, List<string> problems)
    {
        var list = new List<ImageConfig>();
        using var content = files.OpenDir(Rel + "/content/sha256", "imagedb");
        if (content is null)
            return list;
        foreach (var name in content.Names("", "imagedb"))
        {
            var id = "sha256:" + name;
            var bytes = content.ReadJson(name, id);
            if (bytes is null)
                continue;
            var parent = files.ReadId(Rel + "/metadata/sha256/" + name + "/parent", id, StoreIds.IsDigest, "a sha256 digest");
            try
            {
                list.Add(Parse(id, bytes, parent));
            }
            // InvalidOperationException: valid JSON of the wrong shape (a number in diff_ids).
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                problems.Add($"image config {id} is not an image config: {e.Message}");
            }
        }
        return list;
    }

    internal static ImageConfig Parse(string id, byte[] json, string? parent)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var diffIds = new List<string>();
        if (root.TryGetProperty("rootfs", out var rootfs) && rootfs.TryGetProperty("diff_ids", out var ids)
            && ids.ValueKind == JsonValueKind.Array)
            diffIds.AddRange(ids.EnumerateArray().Select(e => e.GetString() ?? ""));
        var history = new List<HistoryEntry>();
        if (root.TryGetProperty("history", out var hist) && hist.ValueKind == JsonValueKind.Array)
        {
            foreach (var h in hist.EnumerateArray())
                history.Add(new HistoryEntry(
                    Date(h, "created"), Str(h, "created_by"), Str(h, "comment"),
                    h.TryGetProperty("empty_layer", out var el) && el.ValueKind == JsonValueKind.True));
        }
        return new ImageConfig(id, Date(root, "created"), diffIds, history, parent,
            Str(root, "os"), Str(root, "architecture"),
            Digests.Sha256(json) == id);
    }

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static DateTime? Date(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTime(out var d)
            ? d.ToUniversalTime() : null;
}
