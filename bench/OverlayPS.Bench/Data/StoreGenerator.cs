using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OverlayPS.Core.Posix;

namespace OverlayPS.Bench.Data;

/// <summary>
/// A synthetic Docker overlay2 store (the layout of dockerd 20.10 with the overlay2 driver):
/// images of up to 100 layers each (dockerd refuses more than 125), every layer with its
/// overlay2/&lt;cache-id&gt;/{diff,link,lower,work,committed}, its l/ link, its layerdb entry
/// (cache-id, diff, parent, size) under a correctly chained ChainID, the image configs (whose
/// sha256 is the image id) with one history step a layer, repositories.json tags, and one
/// container per image (config.v2.json, layerdb/mounts, rw and -init dirs) whose upper dir
/// holds added and changed files, whiteouts and an opaque dir.
/// </summary>
public static class StoreGenerator
{
    public sealed record Store(string Root, int Layers, int Images, IReadOnlyList<string> ContainerNames);

    const int LayersPerImage = 100;

    public static Store Generate(string root, int layers, int changesPerContainer, string trustedPrefix)
    {
        var rnd = new Random(5);
        string overlay2 = Path.Combine(root, "overlay2"), links = Path.Combine(overlay2, "l");
        string image = Path.Combine(root, "image", "overlay2");
        string layerdb = Path.Combine(image, "layerdb", "sha256"), mountsDb = Path.Combine(image, "layerdb", "mounts");
        string imagedb = Path.Combine(image, "imagedb", "content", "sha256");
        string containers = Path.Combine(root, "containers");
        foreach (var d in new[] { links, layerdb, mountsDb, imagedb, containers, Path.Combine(image, "imagedb", "metadata", "sha256") })
            Directory.CreateDirectory(d);

        var repositories = new Dictionary<string, Dictionary<string, string>>();
        var names = new List<string>();
        int images = (layers + LayersPerImage - 1) / LayersPerImage;
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int img = 0; img < images; img++)
        {
            int count = Math.Min(LayersPerImage, layers - img * LayersPerImage);
            var diffIds = new List<string>();
            var linkIds = new List<string>();   // bottom to top
            string? chain = null;
            string cacheId = "";
            for (int n = 0; n < count; n++)
            {
                string diffId = "sha256:" + Hex($"image {img} layer {n}");
                string? parent = chain;
                chain = chain is null ? diffId : "sha256:" + Hex(chain + " " + diffId);
                cacheId = Hex($"cache {img} {n}");
                string linkId = LinkId(rnd);
                var dir = Path.Combine(overlay2, cacheId);
                Directory.CreateDirectory(Path.Combine(dir, "diff", $"layer{n:D3}"));
                File.WriteAllText(Path.Combine(dir, "diff", $"layer{n:D3}", "file.txt"), $"image {img} layer {n}\n");
                File.WriteAllText(Path.Combine(dir, "link"), linkId);
                if (n > 0)
                {
                    File.WriteAllText(Path.Combine(dir, "lower"), LowerFile(linkIds));
                    Directory.CreateDirectory(Path.Combine(dir, "work"));
                    File.WriteAllBytes(Path.Combine(dir, "committed"), Array.Empty<byte>());
                }
                Files.Symlink($"../{cacheId}/diff", Path.Combine(links, linkId));
                linkIds.Add(linkId);
                diffIds.Add(diffId);

                var entry = Path.Combine(layerdb, chain[7..]);
                Directory.CreateDirectory(entry);
                File.WriteAllText(Path.Combine(entry, "cache-id"), cacheId);
                File.WriteAllText(Path.Combine(entry, "diff"), diffId);
                File.WriteAllText(Path.Combine(entry, "size"), "28");
                if (parent is not null) File.WriteAllText(Path.Combine(entry, "parent"), parent);
            }

            var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["architecture"] = "amd64",
                ["os"] = "linux",
                ["created"] = created.AddMinutes(img).ToString("O"),
                ["config"] = new Dictionary<string, object> { ["Cmd"] = new[] { "/bin/sh" } },
                ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = diffIds },
                ["history"] = Enumerable.Range(0, count).Select(n => new Dictionary<string, object>
                {
                    ["created"] = created.AddMinutes(img).AddSeconds(n).ToString("O"),
                    ["created_by"] = $"/bin/sh -c #(nop) COPY file:{n} in /layer{n:D3}/",
                }).ToList(),
            });
            string imageId = Convert.ToHexStringLower(SHA256.HashData(config));
            File.WriteAllBytes(Path.Combine(imagedb, imageId), config);
            string repo = $"bench/image{img:D2}";
            repositories[repo] = new Dictionary<string, string> { [$"{repo}:latest"] = "sha256:" + imageId };

            names.Add(Container(root, overlay2, links, mountsDb, containers, img, imageId, repo, chain!, linkIds,
                changesPerContainer, trustedPrefix, rnd, created));
        }
        File.WriteAllText(Path.Combine(image, "repositories.json"),
            JsonSerializer.Serialize(new Dictionary<string, object> { ["Repositories"] = repositories }));
        return new Store(root, layers, images, names);
    }

    static string Container(string root, string overlay2, string links, string mountsDb, string containers, int img,
        string imageId, string repo, string topChain, List<string> imageLinks, int changes, string trustedPrefix,
        Random rnd, DateTime created)
    {
        string id = Hex($"container {img}"), name = $"bench-c{img:D2}";
        string rw = Hex($"rw {img}"), init = rw + "-init";
        string initLink = LinkId(rnd), rwLink = LinkId(rnd);
        var initDir = Path.Combine(overlay2, init);
        Directory.CreateDirectory(Path.Combine(initDir, "diff", "etc"));
        Directory.CreateDirectory(Path.Combine(initDir, "work"));
        File.WriteAllBytes(Path.Combine(initDir, "diff", "etc", "hostname"), Array.Empty<byte>());
        File.WriteAllText(Path.Combine(initDir, "link"), initLink);
        File.WriteAllText(Path.Combine(initDir, "lower"), LowerFile(imageLinks));
        Files.Symlink($"../{init}/diff", Path.Combine(links, initLink));

        var rwDir = Path.Combine(overlay2, rw);
        var diff = Path.Combine(rwDir, "diff");
        Directory.CreateDirectory(Path.Combine(rwDir, "work"));
        File.WriteAllText(Path.Combine(rwDir, "link"), rwLink);
        File.WriteAllText(Path.Combine(rwDir, "lower"), LowerFile(imageLinks.Append(initLink).ToList()));
        Files.Symlink($"../{rw}/diff", Path.Combine(links, rwLink));
        // The container's changes: new files in new dirs, changed lower files, deleted lower
        // files (whiteouts) and one opaque dir replacing a lower dir.
        for (int i = 0; i < changes; i++)
        {
            var d = Path.Combine(diff, "added", $"d{i / 100:D3}");
            Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(d, $"f{i:D5}"), "new\n");
        }
        int layersInImage = imageLinks.Count;
        for (int n = 0; n < Math.Min(layersInImage, changes / 10 + 1); n++)
        {
            var d = Path.Combine(diff, $"layer{n:D3}");
            Directory.CreateDirectory(d);
            if (n % 3 == 0) Files.MakeWhiteout(Path.Combine(d, "file.txt"));
            else File.WriteAllText(Path.Combine(d, "file.txt"), "changed\n");
        }
        var opaque = Path.Combine(diff, $"layer{layersInImage - 1:D3}");
        Directory.CreateDirectory(opaque);
        Xattrs.Set(opaque, trustedPrefix + "overlay.opaque", "y");

        var m = Path.Combine(mountsDb, id);
        Directory.CreateDirectory(m);
        File.WriteAllText(Path.Combine(m, "mount-id"), rw);
        File.WriteAllText(Path.Combine(m, "init-id"), init);
        File.WriteAllText(Path.Combine(m, "parent"), topChain);

        var cdir = Path.Combine(containers, id);
        Directory.CreateDirectory(cdir);
        File.WriteAllText(Path.Combine(cdir, "config.v2.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ID"] = id,
            ["Name"] = "/" + name,
            ["Image"] = "sha256:" + imageId,
            ["Driver"] = "overlay2",
            ["Created"] = created.AddHours(1).ToString("O"),
            ["Config"] = new Dictionary<string, object> { ["Image"] = repo + ":latest", ["Cmd"] = new[] { "/bin/sh" } },
            ["State"] = new Dictionary<string, object>
            {
                ["Running"] = false, ["Paused"] = false, ["Restarting"] = false, ["Dead"] = false, ["ExitCode"] = 0,
                ["StartedAt"] = created.AddHours(1).ToString("O"), ["FinishedAt"] = created.AddHours(2).ToString("O"),
            },
            ["MountPoints"] = new Dictionary<string, object>(),
        }));
        return name;
    }

    /// <summary>Docker's lower file: l/ links topmost first, joined with ':'.</summary>
    static string LowerFile(List<string> linksBottomUp) =>
        string.Join(':', Enumerable.Reverse(linksBottomUp).Select(l => "l/" + l));

    static string Hex(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    /// <summary>Docker's short link ids: 26 characters from [A-Z0-9].</summary>
    static string LinkId(Random rnd)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(26, rnd, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)]; });
    }
}
