using System.Text.Json;

namespace OverlayPS.Core.Docker;

/// <summary>What <c>containers/&lt;id&gt;/config.v2.json</c> says about a container.</summary>
public sealed record ContainerConfig(
    string Id,
    string Name,
    string? ImageId,
    string? ImageReference,
    string? Driver,
    string State,
    int ExitCode,
    DateTime? Created,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    IReadOnlyList<string> MountDestinations);

internal static class ContainerConfigReader
{
    public const string Rel = "containers";

    public static List<ContainerConfig> Read(StoreFiles files, List<string> problems)
    {
        var list = new List<ContainerConfig>();
        foreach (var id in files.Names(Rel, "containers"))
        {
            var bytes = files.ReadJson(Rel + "/" + id + "/config.v2.json", id);
            if (bytes is null)
                continue;
            try { list.Add(Parse(id, bytes)); }
            // InvalidOperationException: valid JSON of the wrong shape (a number where an object goes).
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            { problems.Add($"container {id}: config.v2.json is not a container config: {e.Message}"); }
        }
        return list;
    }

    static ContainerConfig Parse(string id, byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var state = r.TryGetProperty("State", out var s) ? s : default;
        var mounts = new List<string>();
        if (r.TryGetProperty("MountPoints", out var mp) && mp.ValueKind == JsonValueKind.Object)
            mounts.AddRange(mp.EnumerateObject().Select(p => p.Name));
        string? imageRef = r.TryGetProperty("Config", out var cfg) ? Str(cfg, "Image") : null;
        return new ContainerConfig(
            // The dir name unless the config names a well-formed id (it is matched against
            // layerdb/mounts names, never opened).
            StoreIds.IsHexId(Str(r, "ID")) ? Str(r, "ID")! : id,
            (Str(r, "Name") ?? "").TrimStart('/') is { Length: > 0 } name ? name : Digests.Short(id),
            Str(r, "Image"),
            imageRef,
            Str(r, "Driver"),
            StateOf(state),
            state.ValueKind == JsonValueKind.Object && state.TryGetProperty("ExitCode", out var ec) && ec.TryGetInt32(out var code) ? code : 0,
            Date(r, "Created"),
            NonZero(Date(state, "StartedAt")),
            NonZero(Date(state, "FinishedAt")),
            mounts);
    }

    /// <summary>moby container/state.go StateString: running/paused/restarting, removing, dead,
    /// created (never started), else exited.</summary>
    static string StateOf(JsonElement s)
    {
        if (s.ValueKind != JsonValueKind.Object)
            return "unknown";
        if (True(s, "Running"))
        {
            if (True(s, "Paused")) return "paused";
            if (True(s, "Restarting")) return "restarting";
            return "running";
        }
        if (True(s, "RemovalInProgress")) return "removing";
        if (True(s, "Dead")) return "dead";
        if (NonZero(Date(s, "StartedAt")) is null) return "created";
        return "exited";
    }

    static bool True(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static DateTime? Date(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTime(out var d)
            ? d.ToUniversalTime() : null;

    /// <summary>Go's zero time (0001-01-01) means "never".</summary>
    static DateTime? NonZero(DateTime? d) => d is { Year: > 1 } ? d : null;
}
