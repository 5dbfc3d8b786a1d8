using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Containerd;

public sealed partial class ContainerdStore
{
    /// <summary>One layer per snapshot key of the namespace whose backend snapshot has an id.</summary>
    void BuildLayers(Dictionary<string, string> diffIds)
    {
        var containerKeys = new HashSet<string>(Metadata.Containers.Where(c => c.Snapshotter == ContainerdMetadata.Snapshotter)
            .Select(c => c.SnapshotKey).OfType<string>(), StringComparer.Ordinal);
        foreach (var k in Metadata.SnapshotKeys.Values)
        {
            if (Backend(k) is not { Id: { } id } b)
                continue;   // the store check reports it
            var kind = b.Kind == SnapshotKind.Committed ? LayerKind.Image
                : containerKeys.Contains(k.Key) ? LayerKind.Container : LayerKind.Snapshot;
            var chain = b.Kind == SnapshotKind.Committed && StoreIds.IsDigest(k.Key) ? k.Key : null;
            _byKey[k.Key] = new DockerLayer
            {
                Store = Root,
                StoreKind = Kind,
                Namespace = _namespace,
                SnapshotKey = k.Key,
                CacheId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Kind = kind,
                ChainId = chain,
                DiffId = chain is null ? null : diffIds.GetValueOrDefault(chain),
                Parent = k.Parent,
                Lowers = new(ParentKeys(k.Key).Select(p => Backend(Metadata.SnapshotKeys[p])?.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? p)),
                Size = b.Kind == SnapshotKind.Committed ? b.Size : null,
                Created = k.Created,
                Path = Path.Combine(SnapshotsPath, id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Exists = SnapshotDirs.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                DiffDirName = "fs",
                Owner = this,
            };
        }
        foreach (var l in _byKey.Values)
            l.Position = ParentKeys(l.SnapshotKey!).Count + 1;
    }

    internal BackendSnapshot? Backend(ContainerdSnapshotKey k) =>
        k.BackendName is { } n ? Snapshotter.Snapshots.GetValueOrDefault(n) : null;

    /// <summary>The parent keys of a key, nearest first, as far as they resolve (a loop or a
    /// missing parent ends the walk: the store check reports it).</summary>
    internal List<string> ParentKeys(string key)
    {
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { key };
        for (var p = Metadata.SnapshotKeys.GetValueOrDefault(key)?.Parent;
             p is not null && Metadata.SnapshotKeys.ContainsKey(p) && seen.Add(p) && chain.Count < 1000;
             p = Metadata.SnapshotKeys[p].Parent)
            chain.Add(p);
        return chain;
    }

    List<DockerImage> BuildImages(List<(ContainerdImageRecord Record, ResolvedImage Image)> resolved)
    {
        var images = new List<DockerImage>();
        foreach (var (rec, r) in resolved)
        {
            var config = r.Config;
            var diffs = config?.DiffIds ?? Array.Empty<string>();
            var chains = Digests.ChainIds(diffs);
            var layers = chains.Select(c => _byKey.GetValueOrDefault(c) is { Kind: LayerKind.Image } l ? l : null).ToArray();
            // Docker 29 keeps an untagged image as "moby-dangling@<digest>".
            bool dangling = rec.Name.StartsWith("moby-dangling@", StringComparison.Ordinal);
            var img = new DockerImage
            {
                Store = Root,
                StoreKind = Kind,
                Namespace = _namespace,
                Id = rec.TargetDigest ?? "",
                Tags = dangling ? Array.Empty<string>() : new[] { ImageReferences.Familiar(rec.Name) },
                Created = config?.Created ?? rec.Created,
                Os = config?.Os,
                Architecture = config?.Architecture,
                DiffIds = diffs,
                ChainIds = chains,
                Layers = new(layers),
                IsDangling = dangling,
            };
            if (config is not null)
            {
                img.History = DockerStore.HistorySteps(config, layers);
                if (img.History.Count > 0)
                    img.History[^1].ImageId = img.Id;
            }
            images.Add(img);
        }
        DescribeLayersFromHistory(images);
        return images.OrderBy(i => i.Tags.Count == 0).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    List<DockerContainer> BuildContainers()
    {
        var imagesByRef = new Dictionary<string, DockerImage>(StringComparer.Ordinal);
        foreach (var rec in Metadata.Images)
            if (Images.FirstOrDefault(i => i.Id == rec.TargetDigest && (i.Tags.Contains(ImageReferences.Familiar(rec.Name)) || i.IsDangling)) is { } img)
                imagesByRef.TryAdd(rec.Name, img);
        var containers = new List<DockerContainer>();
        foreach (var rec in Metadata.Containers)
        {
            var rw = rec.Snapshotter == ContainerdMetadata.Snapshotter && rec.SnapshotKey is { } key ? _byKey.GetValueOrDefault(key) : null;
            var image = rec.Image is null ? null : imagesByRef.GetValueOrDefault(rec.Image);
            containers.Add(new DockerContainer
            {
                Store = Root,
                StoreKind = Kind,
                Namespace = _namespace,
                Id = rec.Id,
                Name = rec.Id,
                ImageId = image?.Id,
                Image = rec.Image is null ? null : ImageReferences.Shown(rec.Image),
                // containerd keeps no container state outside its running tasks.
                State = "unknown",
                Created = rec.Created,
                Driver = rec.Snapshotter,
                ImageObject = image,
                RwLayer = rw,
                ImageLayers = rw is null ? null : new TopmostFirst<DockerLayer>(ParentKeys(rw.SnapshotKey!).Select(k => _byKey.GetValueOrDefault(k)).OfType<DockerLayer>()).ToBaseFirst(),
            });
        }
        return containers.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Who uses what: images on their layers, containers on their stack.</summary>
    void MarkUsers()
    {
        foreach (var img in Images)
            foreach (var l in img.Layers.OfType<DockerLayer>())
            {
                l.Images.Add(img.Name);
                l.ImageIds.Add(img.Id);
            }
        foreach (var c in Containers)
        {
            c.ImageObject?.Containers.Add(c.Name);
            foreach (var l in c.GetLayers())
                l.Containers.Add(c.Name);
        }
    }

    /// <summary>snapshots/&lt;n&gt; dirs no snapshot of any namespace names: disk nothing uses.</summary>
    IEnumerable<DockerLayer> UnreferencedDirs()
    {
        var ids = new HashSet<string>(Snapshotter.Snapshots.Values.Select(s => s.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture)).OfType<string>(), StringComparer.Ordinal);
        foreach (var d in SnapshotDirs.Where(d => IsSnapshotId(d) && !ids.Contains(d)))
            yield return new DockerLayer
            {
                Store = Root, StoreKind = Kind, Namespace = _namespace,
                CacheId = d, Kind = LayerKind.Unreferenced, Path = Path.Combine(SnapshotsPath, d),
                Exists = true, DiffDirName = "fs", Owner = this, Position = 1,
            };
    }

    /// <summary>The overlayfs snapshotter names its dirs by a bbolt sequence: decimal digits only.</summary>
    internal static bool IsSnapshotId(string name) =>
        name.Length is > 0 and <= 20 && name.All(c => c is >= '0' and <= '9');
}
