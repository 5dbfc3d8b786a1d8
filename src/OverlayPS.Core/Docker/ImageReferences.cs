using System.Text.Json;

namespace OverlayPS.Core.Docker;

/// <summary>
/// <c>image/overlay2/repositories.json</c>: <c>{"Repositories":{"&lt;name&gt;":{"&lt;name&gt;:&lt;tag&gt;" or
/// "&lt;name&gt;@sha256:...": "&lt;image id&gt;"}}}</c> (moby reference/store.go). A "name@digest" key
/// is a repo digest (what <c>docker images --digests</c> shows, left by a pull), not a tag:
/// an image pulled by digest only has no tag and shows as <c>&lt;none&gt;</c> in docker images.
/// </summary>
internal sealed class ImageReferences
{
    public Dictionary<string, List<string>> TagsByImage { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> DigestsByImage { get; } = new(StringComparer.Ordinal);

    public const string Rel = "image/overlay2/repositories.json";

    public static ImageReferences Read(StoreFiles files, List<string> problems)
    {
        var refs = new ImageReferences();
        var bytes = files.ReadJson(Rel, "repositories.json");
        if (bytes is null)
            return refs;    // a fresh dockerd writes it only at the first tag
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("Repositories", out var repos) || repos.ValueKind != JsonValueKind.Object)
                return refs;
            foreach (var repo in repos.EnumerateObject())
            {
                if (repo.Value.ValueKind != JsonValueKind.Object)
                    continue;
                foreach (var r in repo.Value.EnumerateObject())
                {
                    if (r.Value.ValueKind != JsonValueKind.String || r.Value.GetString() is not { Length: > 0 } id)
                        continue;
                    var name = Familiar(r.Name);
                    var map = name.Contains('@') ? refs.DigestsByImage : refs.TagsByImage;
                    if (!map.TryGetValue(id, out var list))
                        map[id] = list = new List<string>();
                    if (!list.Contains(name))
                        list.Add(name);
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problems.Add($"{files.FullPath(Rel)} is not valid JSON: {e.Message}; images show no tags.");
        }
        foreach (var list in refs.TagsByImage.Values.Concat(refs.DigestsByImage.Values))
            list.Sort(StringComparer.Ordinal);
        return refs;
    }

    /// <summary>
    /// The short form docker prints and stores (distribution/reference FamiliarString):
    /// "docker.io/library/debian:12" -> "debian:12", "docker.io/user/app" -> "user/app";
    /// other registries ("localhost:5000/team/app:1", "ghcr.io/x/y") are kept whole.
    /// </summary>
    public static string Familiar(string reference)
    {
        foreach (var host in new[] { "docker.io/", "index.docker.io/", "registry-1.docker.io/" })
        {
            if (!reference.StartsWith(host, StringComparison.Ordinal))
                continue;
            var rest = reference[host.Length..];
            if (rest.StartsWith("library/", StringComparison.Ordinal) && rest.IndexOf('/', 8) < 0)
                rest = rest[8..];
            return rest;
        }
        return reference;
    }

    /// <summary>How docker ps prints a reference (cli formatter/container.go Image): familiar,
    /// without its digest ("app:1.0@sha256:..." -> "app:1.0", "app@sha256:..." -> "app").</summary>
    public static string Shown(string reference)
    {
        var r = Familiar(reference);
        int at = r.IndexOf('@');
        return at > 0 ? r[..at] : r;
    }

    /// <summary>A reference as a user may type it, in the stored form: familiar, and ":latest"
    /// added when it names neither a tag nor a digest (docker's default tag).</summary>
    public static string Normalize(string reference)
    {
        var r = Familiar(reference);
        if (r.StartsWith("library/", StringComparison.Ordinal) && r.IndexOf('/', 8) < 0)
            r = r[8..];
        int at = r.IndexOf('@');
        if (at >= 0)
        {
            // "name:tag@sha256:..." is looked up by its digest alone (moby reference/store.go Get).
            int tag = r.IndexOf(':', r.LastIndexOf('/', at) + 1);
            return tag >= 0 && tag < at ? r[..tag] + r[at..] : r;
        }
        int slash = r.LastIndexOf('/');
        return r.IndexOf(':', slash + 1) < 0 ? r + ":latest" : r;
    }
}
