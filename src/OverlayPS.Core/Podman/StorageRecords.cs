using System.Text.Json;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Podman;

/// <summary>One entry of <c>overlay-layers/layers.json</c> (or volatile-layers.json): a layer
/// dir <c>overlay/&lt;Id&gt;</c> and its parent. Container layers have no diff digest.</summary>
public sealed record LayerRecord(string Id, string? Parent, IReadOnlyList<string> Names, DateTime? Created,
    string? DiffDigest, long? DiffSize, bool Volatile);

/// <summary>One entry of <c>overlay-images/images.json</c>: the image id (its config digest,
/// bare hex), names, top layer and the sizes of the big-data files beside it.</summary>
public sealed record ImageRecord(string Id, string? Digest, IReadOnlyList<string> Names, IReadOnlyList<string> Digests,
    string? TopLayer, IReadOnlyList<string> BigDataNames, long BigDataSize, DateTime? Created);

/// <summary>One entry of <c>overlay-containers/containers.json</c>: the container, its image
/// and its read-write layer; <c>metadata</c> (a JSON string) names the image as given.</summary>
public sealed record ContainerRecord(string Id, IReadOnlyList<string> Names, string? ImageId, string? LayerId,
    string? ImageName, DateTime? Created);

/// <summary>
/// containers/storage's three JSON lists (layers.go, images.go, containers.go), read as
/// hostile input: through <see cref="StoreFiles"/> (regular files beneath the root, bounded),
/// each entry kept only when its ids are bare 64-hex ids (anything else would one day be a
/// path component: <c>overlay/../../etc</c>), the rest reported as read problems.
/// </summary>
internal static class StorageRecords
{
    public const string LayersJson = "overlay-layers/layers.json";
    public const string VolatileLayersJson = "overlay-layers/volatile-layers.json";
    public const string ImagesJson = "overlay-images/images.json";
    public const string ContainersJson = "overlay-containers/containers.json";

    public static List<LayerRecord> ReadLayers(StoreFiles files, List<string> problems)
    {
        var list = new List<LayerRecord>();
        foreach (var (rel, isVolatile) in new[] { (LayersJson, false), (VolatileLayersJson, true) })
            foreach (var e in Entries(files, rel, problems))
            {
                if (Id(e, "id", rel, problems) is not { } id)
                    continue;
                var parent = OptionalId(e, "parent", rel, id, problems, out var bad);
                if (bad)
                    continue;
                list.Add(new LayerRecord(id, parent, Strings(e, "names"), Date(e, "created"),
                    Digest(e, "diff-digest"), Long(e, "diff-size"), isVolatile));
            }
        return list;
    }

    public static List<ImageRecord> ReadImages(StoreFiles files, List<string> problems)
    {
        var list = new List<ImageRecord>();
        foreach (var e in Entries(files, ImagesJson, problems))
        {
            if (Id(e, "id", ImagesJson, problems) is not { } id)
                continue;
            var top = OptionalId(e, "layer", ImagesJson, id, problems, out var bad);
            if (bad)
                continue;
            long bigData = 0;
            if (e.TryGetProperty("big-data-sizes", out var sizes) && sizes.ValueKind == JsonValueKind.Object)
                foreach (var p in sizes.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n) && n > 0)
                        bigData += n;
            var digests = Strings(e, "digests").Where(StoreIds.IsDigest).ToList();
            list.Add(new ImageRecord(id, Digest(e, "digest"), Strings(e, "names"), digests, top,
                Strings(e, "big-data-names"), bigData, Date(e, "created")));
        }
        return list;
    }

    public static List<ContainerRecord> ReadContainers(StoreFiles files, List<string> problems)
    {
        var list = new List<ContainerRecord>();
        foreach (var e in Entries(files, ContainersJson, problems))
        {
            if (Id(e, "id", ContainersJson, problems) is not { } id)
                continue;
            var image = OptionalId(e, "image", ContainersJson, id, problems, out var badImage);
            var layer = OptionalId(e, "layer", ContainersJson, id, problems, out var badLayer);
            if (badImage || badLayer)
                continue;
            string? imageName = null;
            if (Str(e, "metadata") is { Length: > 0 and < 1 << 20 } meta)
            {
                try
                {
                    using var doc = JsonDocument.Parse(meta);
                    if (doc.RootElement.ValueKind == JsonValueKind.Object)
                        imageName = Str(doc.RootElement, "image-name");
                }
                catch (JsonException) { /* metadata is podman's own notes: without it the image id is shown */ }
            }
            list.Add(new ContainerRecord(id, Strings(e, "names"), image, layer, imageName, Date(e, "created")));
        }
        return list;
    }

    /// <summary>The objects of a JSON array file; none when absent, refused, or not an array
    /// (which is a read problem).</summary>
    static List<JsonElement> Entries(StoreFiles files, string rel, List<string> problems)
    {
        var bytes = files.ReadJson(rel, rel);
        if (bytes is null)
            return new List<JsonElement>();
        try
        {
            var root = JsonDocument.Parse(bytes).RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{rel} is not a JSON array.");
                return new List<JsonElement>();
            }
            return root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
        }
        catch (JsonException e)
        {
            problems.Add($"{rel} is not valid JSON: {e.Message}");
            return new List<JsonElement>();
        }
    }

    static string? Id(JsonElement e, string name, string rel, List<string> problems)
    {
        var id = Str(e, name);
        if (StoreIds.IsHexId(id))
            return id;
        problems.Add($"{rel} has an entry whose {name} '{StoreIds.Show(id ?? "")}' is not a 64-hex id: it is skipped, never used as a path.");
        return null;
    }

    /// <summary>An id field that may be absent; present but of the wrong form sets <paramref name="bad"/>.</summary>
    static string? OptionalId(JsonElement e, string name, string rel, string owner, List<string> problems, out bool bad)
    {
        bad = false;
        var v = Str(e, name);
        if (string.IsNullOrEmpty(v))
            return null;
        if (StoreIds.IsHexId(v))
            return v;
        bad = true;
        problems.Add($"{rel}: entry {owner} has {name} '{StoreIds.Show(v)}', not a 64-hex id: the entry is skipped, never used as a path.");
        return null;
    }

    static string? Digest(JsonElement e, string name) => Str(e, name) is { } d && StoreIds.IsDigest(d) ? d : null;

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0 ? n : null;

    static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : Array.Empty<string>();

    static DateTime? Date(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTime(out var d)
            ? d.ToUniversalTime() : null;
}
