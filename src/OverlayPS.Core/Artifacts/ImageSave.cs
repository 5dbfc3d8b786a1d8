using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Artifacts;

/// <summary>An image to save and the tags to record for it in manifest.json.</summary>
public sealed record ImageToSave(DockerImage Image, IReadOnlyList<string> RepoTags);

/// <summary>
/// Save-OverlayImage: images of a store as the tar <c>docker save</c> of Debian's docker.io
/// 20.10 writes, with no daemon: <c>&lt;config-hex&gt;.json</c> (the config exactly as stored, so
/// the image id is the same), one <c>&lt;v1-id&gt;/</c> dir per layer with <c>VERSION</c>, <c>json</c>
/// and <c>layer.tar</c> (each layer's exact tar, rebuilt from its tar-split and verified against
/// its DiffID as it is written), <c>manifest.json</c> and <c>repositories</c>. 20.10 writes no
/// OCI <c>index.json</c>/<c>oci-layout</c> (those came with docker 25), so neither is written
/// here. docker load reads manifest.json; the v1 dirs' names and json are a legacy form that
/// load does not read, so they are derived here from the ChainID and image id (stable, unique)
/// rather than by docker's own v1 id recipe. Entries are in name order with mtime 0: the same
/// images save to the same bytes.
/// </summary>
public static class ImageSave
{
    public static FileInfo ToFile(DockerStore store, IReadOnlyList<ImageToSave> images, string path, bool overwrite,
        IProgress<LayerProgress>? progress = null, Func<bool>? stopping = null)
    {
        // Everything that can be checked before writing is: configs and layer tar sizes.
        var plan = Plan(store, images);
        return ArtifactFile.Write(path, overwrite, file =>
        {
            int done = 0, total = plan.Layers.Count;
            foreach (var (name, entry) in plan.Entries)
            {
                switch (entry)
                {
                    case null:
                        UstarHeader.Write(file, name, 0, directory: true);
                        break;
                    case byte[] bytes:
                        UstarHeader.Write(file, name, bytes.Length, directory: false);
                        file.Write(bytes);
                        UstarHeader.Pad(file, bytes.Length);
                        break;
                    case PlannedLayer l:
                        UstarHeader.Write(file, name, l.Size, directory: false);
                        int index = done++;
                        progress?.Report(new LayerProgress(index, total, l.Layer.DiffId!, 0, l.Size));
                        var v = StoreLayerTar.Write(store, l.Layer, file,
                            bytes => progress?.Report(new LayerProgress(index, total, l.Layer.DiffId!, bytes, l.Size)), stopping);
                        if (!v.Verified)
                            throw new LayerVerificationException(v);
                        if (v.Bytes != l.Size)
                            throw new InvalidDataException($"Layer {l.Layer.DiffId} gave {v.Bytes} bytes, its tar-split says {l.Size}.");
                        UstarHeader.Pad(file, l.Size);
                        break;
                }
            }
            UstarHeader.End(file);
        });
    }

    /// <summary>The tags of an image a reference names, as docker save records them: the tag
    /// when it was named ("app" is "app:latest"), none when the image was named by id.</summary>
    public static IReadOnlyList<string> TagsNamedBy(DockerImage image, string reference)
    {
        var normal = ImageReferences.Normalize(reference);
        return image.Tags.Where(t => t == reference || ImageReferences.Normalize(t) == normal).ToList();
    }

    sealed record PlannedLayer(DockerLayer Layer, long Size);
    sealed record SavePlan(SortedDictionary<string, object?> Entries, List<PlannedLayer> Layers);

    static SavePlan Plan(DockerStore store, IReadOnlyList<ImageToSave> images)
    {
        var entries = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var layers = new List<PlannedLayer>();
        var manifest = new JsonArray();
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (image, tags) in images)
        {
            var config = store.ReadImageConfig(image.Id)
                ?? throw new InvalidDataException($"Image {image.Name}: its config (imagedb/content/sha256/{Digests.Hex(image.Id)}) cannot be read; run Test-OverlayStore.");
            if (Digests.Sha256(config) != image.Id)
                throw new InvalidDataException($"Image {image.Name}: its config's sha256 is not its id {image.Id}: the store was changed.");
            var configNode = JsonNode.Parse(config) as JsonObject
                ?? throw new InvalidDataException($"Image {image.Name}: its config is not a JSON object.");
            var configName = Digests.Hex(image.Id) + ".json";
            entries[configName] = config;

            var layerNames = new JsonArray();
            string? parent = null;
            for (int i = 0; i < image.Layers.Count; i++)
            {
                var layer = image.Layers[i];
                if (layer is null || !layer.Exists)
                    throw new InvalidDataException($"Image {image.Name}: layer {i + 1} ({image.DiffIds[i]}) is not in the store; run Test-OverlayStore.");
                bool top = i == image.Layers.Count - 1;
                var v1 = V1Id(image.ChainIds[i], parent, top ? image.Id : null);
                var json = V1Json(v1, parent, top ? configNode : null, image.Os);
                if (!entries.ContainsKey(v1 + "/"))
                {
                    var planned = new PlannedLayer(layer, StoreLayerTar.SizeOf(store, layer));
                    layers.Add(planned);
                    entries[v1 + "/"] = null;
                    entries[v1 + "/VERSION"] = Encoding.ASCII.GetBytes("1.0");
                    entries[v1 + "/json"] = json;
                    entries[v1 + "/layer.tar"] = planned;
                }
                layerNames.Add(v1 + "/layer.tar");
                parent = v1;
            }
            manifest.Add(new JsonObject
            {
                ["Config"] = configName,
                ["RepoTags"] = tags.Count == 0 ? null : new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
                ["Layers"] = layerNames,
            });
            foreach (var tag in tags)
            {
                int colon = tag.LastIndexOf(':');
                if (colon <= tag.LastIndexOf('/'))
                    continue;
                if (!repositories.TryGetValue(tag[..colon], out var byTag))
                    repositories[tag[..colon]] = byTag = new SortedDictionary<string, string>(StringComparer.Ordinal);
                byTag[tag[(colon + 1)..]] = parent!;
            }
        }
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        if (repositories.Count > 0)
            entries["repositories"] = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(repositories));
        return new SavePlan(entries, layers);
    }

    static string V1Id(string chainId, string? parent, string? imageId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{chainId} {parent} {imageId}"))).ToLowerInvariant();

    /// <summary>The legacy per-layer json: for lower layers the empty form docker writes; for the
    /// top one the image config's own fields (as docker's V1Image), without rootfs and history.</summary>
    static byte[] V1Json(string id, string? parent, JsonObject? config, string? os)
    {
        var o = new JsonObject { ["id"] = id };
        if (parent is not null)
            o["parent"] = parent;
        if (config is null)
        {
            o["created"] = "1970-01-01T00:00:00Z";
            o["os"] = os ?? "linux";
        }
        else
            foreach (var (key, value) in config)
                if (key is not ("rootfs" or "history" or "id" or "parent"))
                    o[key] = value?.DeepClone();
        return Encoding.UTF8.GetBytes(o.ToJsonString());
    }
}
