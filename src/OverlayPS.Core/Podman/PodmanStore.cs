using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Podman;

/// <summary>
/// A containers-storage store (podman, buildah, CRI-O; overlay driver) read from disk, offline:
/// <c>overlay-layers/layers.json</c> (+ volatile-layers.json), <c>overlay-images/images.json</c>
/// with each image's config from its big-data files, <c>overlay-containers/containers.json</c>,
/// and the <c>overlay/&lt;id&gt;/{diff,link,lower}</c> dirs with their <c>overlay/l/</c> links, tied
/// into the same model as a Docker store. A layer's parents come from layers.json, never from
/// following an l/ link: every layer dir is opened as <c>overlay/&lt;id&gt;/diff</c> beneath the
/// held root. Like the engine it reads, the layers may use metacopy (Fedora's rootful podman).
/// </summary>
public sealed partial class PodmanStore : ImageStore
{
    public const string DefaultRoot = "/var/lib/containers/storage";

    public override StoreKind Kind => StoreKind.Podman;
    public string OverlayPath => Path.Combine(Root, "overlay");

    internal StoreFiles StoreFiles { get; }
    internal IReadOnlyList<LayerRecord> LayerRecords { get; }
    internal IReadOnlyList<ImageRecord> ImageRecords { get; }
    internal IReadOnlyList<ContainerRecord> ContainerRecords { get; }
    internal IReadOnlyDictionary<string, Overlay2Dir> Dirs { get; }
    internal IReadOnlyDictionary<string, string?> Links { get; }

    readonly Dictionary<string, DockerLayer> _byId = new(StringComparer.Ordinal);
    readonly Dictionary<string, LayerRecord> _records = new(StringComparer.Ordinal);

    PodmanStore(string root, DirHandle rootDir) : base(root, rootDir)
    {
        StoreFiles = new StoreFiles(rootDir, root);
        var problems = new List<string>();
        LayerRecords = StorageRecords.ReadLayers(StoreFiles, problems);
        ImageRecords = StorageRecords.ReadImages(StoreFiles, problems);
        ContainerRecords = StorageRecords.ReadContainers(StoreFiles, problems);
        Dirs = Overlay2DirReader.Read(StoreFiles, "overlay");
        Links = Overlay2DirReader.ReadLinks(StoreFiles, "overlay");
        foreach (var r in LayerRecords)
            _records.TryAdd(r.Id, r);

        var containerLayers = new HashSet<string>(ContainerRecords.Select(c => c.LayerId).OfType<string>(), StringComparer.Ordinal);
        foreach (var r in _records.Values)
        {
            var chain = Chain(r.Id);
            var l = NewLayer(r.Id, containerLayers.Contains(r.Id) ? LayerKind.Container : LayerKind.Image, r, ChainIdOf(chain));
            l.Position = chain.Count;
            _byId[r.Id] = l;
        }

        Images = PodmanImages.Build(this, problems);
        Containers = PodmanContainers.Build(this);
        PodmanContainers.MarkUsers(this);
        ReadProblems = problems;
        // Layer descriptions from the image history: the first image holding the layer says
        // which step made it.
        foreach (var img in Images)
            foreach (var step in img.GetHistory())
                if (step.GetLayer() is { CreatedBy: null, Comment: null } l)
                {
                    l.CreatedBy = step.CreatedBy;
                    l.Comment = step.Comment;
                }

        foreach (var d in Dirs.Values.Where(d => !_byId.ContainsKey(d.CacheId)))
        {
            var l = NewLayer(d.CacheId, LayerKind.Unreferenced, null, null);
            l.Position = l.Lowers.Count + 1;
            _byId[d.CacheId] = l;
        }
        Layers = _byId.Values
            .OrderBy(l => l.Kind == LayerKind.Unreferenced)
            .ThenBy(l => l.Position)
            .ThenBy(l => l.CacheId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Opens a containers-storage root (or its overlay/ dir): throws
    /// <see cref="UnsupportedStoreException"/> when it is not one, PosixException when it
    /// cannot be read.</summary>
    public static new PodmanStore Open(string root = DefaultRoot)
    {
        var full = Path.GetFullPath(root).TrimEnd('/');
        if (full.Length == 0) full = "/";
        var kind = StoreKindDetector.Detect(full, out var description);
        if (kind != StoreKind.Podman)
            throw new UnsupportedStoreException(kind, full, description);
        // Given overlay/ itself, the store is its parent (as the detector says).
        if (!File.Exists(Path.Combine(full, StorageRecords.LayersJson)) && !Directory.Exists(Path.Combine(full, "overlay-layers"))
            && Path.GetDirectoryName(full) is { } up)
            full = up;
        foreach (var dir in new[] { Path.Combine(full, "overlay-layers"), Path.Combine(full, "overlay") })
        {
            var denied = Directory.Exists(dir) ? Files.AccessError(dir, read: true, search: true) : null;
            if (denied is not null)
                throw new PosixException(denied.Value, dir, "read store");
        }
        var rootDir = DirHandle.OpenRoot(full);
        try { return new PodmanStore(full, rootDir); }
        catch
        {
            rootDir.Dispose();
            throw;
        }
    }

    public override DockerLayer? LayerByCacheId(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The layer record of an id, when layers.json has one.</summary>
    internal LayerRecord? Record(string id) => _records.GetValueOrDefault(id);

    /// <summary>A layer and its parents, topmost first, by layers.json's parent field; stops at
    /// a parent with no record (the store check reports it) and at a cycle.</summary>
    internal TopmostFirst<string> Chain(string id)
    {
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (string? c = id; c is not null && _records.TryGetValue(c, out var r) && seen.Add(c); c = r.Parent)
            chain.Add(c);
        return new(chain);
    }

    /// <summary>The OCI ChainID of the top of a chain (topmost first) from its diff digests;
    /// null when a layer of it has none (a container layer) or its parents are not all known.</summary>
    string? ChainIdOf(TopmostFirst<string> chain)
    {
        var diffs = chain.ToBaseFirst().Select(c => _records[c].DiffDigest).ToList();
        bool complete = chain.Count > 0 && _records[chain[^1]].Parent is null;
        return complete && diffs.All(d => d is not null) ? Digests.ChainIds(diffs!)[^1] : null;
    }

    DockerLayer NewLayer(string id, LayerKind kind, LayerRecord? r, string? chainId)
    {
        var dir = Dirs.GetValueOrDefault(id);
        return new DockerLayer
        {
            Store = Root,
            StoreKind = StoreKind.Podman,
            CacheId = id,
            Kind = kind,
            LinkId = dir?.LinkId,
            DiffId = r?.DiffDigest,
            ChainId = chainId,
            Parent = r?.Parent,
            Size = r?.DiffSize,
            Created = r?.Created,
            Lowers = dir is null ? TopmostFirst<string>.Empty : new(dir.LowerLinks.Select(ResolveLink)),
            Path = Path.Combine(OverlayPath, id),
            Exists = dir is not null,
            Owner = this,
        };
    }

    /// <summary>"l/NAME" -> the layer id its symlink names (read as text, never followed), or
    /// "l/NAME" unchanged when it names no layer dir of the form containers-storage writes.</summary>
    string ResolveLink(string lowerEntry)
    {
        var name = lowerEntry.StartsWith("l/", StringComparison.Ordinal) ? lowerEntry[2..] : lowerEntry;
        return Overlay2DirReader.CacheIdOfLinkTarget(Links.GetValueOrDefault(name)) ?? lowerEntry;
    }

    public override IReadOnlyList<StoreFinding> Check() => PodmanStoreCheck.Run(this);
}
