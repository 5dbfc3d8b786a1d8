using OverlayPS.Core.Layers;
using System.Text;
using System.Text.Json;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Podman;

/// <summary>
/// Images of a containers-storage store as podman shows them (libimage): names as tags, one
/// repo digest per named repository, the layer chain from the top layer's parents, the config
/// (history, diff ids) from the image's big-data file, and the size podman reports: its layers'
/// uncompressed sizes plus its big-data files.
/// </summary>
internal static class PodmanImages
{
    public static List<DockerImage> Build(PodmanStore store, List<string> problems)
    {
        var images = new List<DockerImage>();
        var records = store.ImageRecords;
        // podman's parent: the image whose top layer is this image's top layer's parent.
        var byTop = records.Where(r => r.TopLayer is not null).ToLookup(r => r.TopLayer!, StringComparer.Ordinal);
        string? ParentOf(ImageRecord r) =>
            r.TopLayer is not null && store.Record(r.TopLayer)?.Parent is { } p && byTop[p].FirstOrDefault() is { } parent
                ? "sha256:" + parent.Id : null;
        var parents = new HashSet<string>(records.Select(ParentOf).OfType<string>(), StringComparer.Ordinal);

        foreach (var r in records)
        {
            var id = "sha256:" + r.Id;
            var config = ReadConfig(store, r, problems);
            var layers = LayersOf(store, r, config);
            var diffIds = config?.DiffIds is { Count: > 0 } d ? d : layers.Select(l => l?.DiffId ?? "").ToList();
            var img = new DockerImage
            {
                Store = store.Root,
                StoreKind = StoreKind.Podman,
                Id = id,
                Tags = r.Names,
                RepoDigests = RepoDigests(r),
                Created = r.Created ?? config?.Created,
                Parent = ParentOf(r),
                Os = config?.Os,
                Architecture = config?.Architecture,
                DiffIds = diffIds,
                ChainIds = Digests.ChainIds(diffIds),
                Layers = new(layers),
                MetadataSize = r.BigDataSize,
                IsIntermediate = r.Names.Count == 0 && parents.Contains(id),
                IsDangling = r.Names.Count == 0 && !parents.Contains(id),
            };
            img.History = config is null ? Array.Empty<ImageHistoryStep>() : History(store, r, config, byTop);
            images.Add(img);
        }
        return images.OrderBy(i => i.Tags.Count == 0).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>containers-storage images.go makeBigDataBaseName: a key of only [a-z0-9.] is the
    /// file name; any other is "=" + its standard base64.</summary>
    internal static string BigDataFileName(string key) =>
        key.Length > 0 && key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.')
            ? key : "=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    static ImageConfig? ReadConfig(PodmanStore store, ImageRecord r, List<string> problems)
    {
        var file = $"overlay-images/{r.Id}/{BigDataFileName("sha256:" + r.Id)}";
        var bytes = store.StoreFiles.ReadJson(file, r.Id);
        if (bytes is null)
        {
            if (!store.StoreFiles.Refused.Contains(store.StoreFiles.FullPath(file)))
                problems.Add($"image {Digests.Short(r.Id)} has no config file '{file}': its history and diff ids are unknown.");
            return null;
        }
        try { return ImageDbReader.Parse("sha256:" + r.Id, bytes, parent: null); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            problems.Add($"image {Digests.Short(r.Id)}'s config '{file}' is not an image config: {e.Message}");
            return null;
        }
    }

    /// <summary>Bottom first, from the top layer down its parents; null where a layer is not in
    /// layers.json (as many as the config has diff ids more than the chain found).</summary>
    static List<DockerLayer?> LayersOf(PodmanStore store, ImageRecord r, ImageConfig? config)
    {
        var found = r.TopLayer is null ? new List<DockerLayer?>()
            : new TopmostFirst<DockerLayer?>(store.Chain(r.TopLayer).Select(id => store.LayerByCacheId(id))).ToBaseFirst().ToList();
        int expected = config?.DiffIds.Count ?? 0;
        bool brokenChain = r.TopLayer is not null && (found.Count == 0 || store.Record(found[0]!.CacheId)?.Parent is not null);
        if (brokenChain || found.Count < expected)
            found.InsertRange(0, Enumerable.Repeat<DockerLayer?>(null, Math.Max(1, expected - found.Count)));
        return found;
    }

    /// <summary>"repo@digest" for each repository the image is named in (libimage RepoDigests).</summary>
    static List<string> RepoDigests(ImageRecord r)
    {
        var digests = new[] { r.Digest }.Concat(r.Digests).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return r.Names.Select(Repository).Distinct(StringComparer.Ordinal)
            .SelectMany(repo => digests.Select(d => repo + "@" + d))
            .OrderBy(x => x, StringComparer.Ordinal).ToList();
    }

    /// <summary>"host/a/b:tag" -> "host/a/b" (a colon after the last '/' starts the tag).</summary>
    static string Repository(string name)
    {
        var at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>
    /// podman history (libimage history.go): newest step first, each non-empty step takes the
    /// next layer down; a step's image is the first image whose top layer is that layer, once
    /// per image ("&lt;missing&gt;", null here, otherwise); the newest step is the image itself
    /// unless that rule names another.
    /// </summary>
    static IReadOnlyList<ImageHistoryStep> History(PodmanStore store, ImageRecord r, ImageConfig c, ILookup<string, ImageRecord> byTop)
    {
        var steps = new ImageHistoryStep[c.History.Count];
        var used = new HashSet<string>(StringComparer.Ordinal);
        string? layer = r.TopLayer is not null && store.Record(r.TopLayer) is not null ? r.TopLayer : null;
        for (int x = c.History.Count - 1; x >= 0; x--)
        {
            var h = c.History[x];
            string? imageId = x == c.History.Count - 1 ? "sha256:" + r.Id : null;
            DockerLayer? stepLayer = null;
            if (layer is not null)
            {
                if (!h.EmptyLayer)
                    stepLayer = store.LayerByCacheId(layer);
                if (byTop[layer].FirstOrDefault() is { } first && used.Add(first.Id))
                    imageId = "sha256:" + first.Id;
                if (!h.EmptyLayer && store.Record(layer)?.Parent is { } parent)
                    layer = store.Record(parent) is not null ? parent : null;
            }
            steps[x] = new ImageHistoryStep(x, h.Created, h.CreatedBy, h.Comment, h.EmptyLayer) { Layer = stepLayer, ImageId = imageId };
        }
        return steps;
    }
}
