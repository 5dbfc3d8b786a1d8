using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Docker;

/// <summary>
/// A Docker overlay2 store read from disk, offline: layerdb, imagedb, repositories.json,
/// containers/*/config.v2.json and the overlay2 dirs, tied together. Opening reads each small
/// file once and walks no layer (a 1,000-layer store opens in a fraction of a second); sizes
/// and changes are computed only when asked.
/// </summary>
public sealed partial class DockerStore : ImageStore
{
    public const string DefaultRoot = "/var/lib/docker";

    public override StoreKind Kind => StoreKind.DockerOverlay2;
    public string Overlay2Path => Path.Combine(Root, "overlay2");
    public string ImageRoot => Path.Combine(Root, "image", "overlay2");
    public string LayerDbPath => Path.Combine(ImageRoot, "layerdb");

    // The raw records, for the store check.
    internal IReadOnlyList<LayerDbEntry> LayerDb { get; }
    internal IReadOnlyList<MountDbEntry> MountDb { get; }
    internal IReadOnlyDictionary<string, Overlay2Dir> Dirs { get; }
    internal IReadOnlyDictionary<string, string?> Links { get; }
    internal IReadOnlyList<ImageConfig> Configs { get; }
    internal ImageReferences References { get; }
    /// <summary>Store files and dirs refused while reading (links, FIFOs, oversized files, ids
    /// of the wrong form): never followed or read.</summary>
    internal StoreFiles StoreFiles { get; }

    readonly Dictionary<string, DockerLayer> _byCacheId;

    DockerStore(string root, DirHandle rootDir) : base(root, rootDir)
    {
        StoreFiles = new StoreFiles(rootDir, root);
        var problems = new List<string>();
        LayerDb = LayerDbReader.ReadLayers(StoreFiles);
        MountDb = LayerDbReader.ReadMounts(StoreFiles);
        Dirs = Overlay2DirReader.Read(StoreFiles);
        Links = Overlay2DirReader.ReadLinks(StoreFiles);
        Configs = ImageDbReader.Read(StoreFiles, problems);
        References = ImageReferences.Read(StoreFiles, problems);
        var containerConfigs = ContainerConfigReader.Read(StoreFiles, problems);
        ReadProblems = problems;

        _byCacheId = new Dictionary<string, DockerLayer>(StringComparer.Ordinal);
        var byChain = new Dictionary<string, DockerLayer>(StringComparer.Ordinal);

        // Image layers: one per live layerdb entry.
        foreach (var e in LayerDb.Where(e => !e.Removing && e.CacheId is not null))
        {
            var layer = NewLayer(e.CacheId!, LayerKind.Image, e.DiffId, e.ChainId, e.Parent, e.Size);
            _byCacheId.TryAdd(layer.CacheId, layer);
            byChain.TryAdd(e.ChainId, layer);
        }
        // Image layer positions follow the parent chain (a ChainID fixes the chain below).
        foreach (var e in LayerDb.Where(e => !e.Removing))
            if (byChain.TryGetValue(e.ChainId, out var l))
                l.Position = Depth(e.ChainId, byChain);

        // Images.
        var parents = new HashSet<string>(Configs.Select(c => c.Parent).OfType<string>(), StringComparer.Ordinal);
        var images = new List<DockerImage>();
        foreach (var c in Configs)
        {
            var chains = Digests.ChainIds(c.DiffIds);
            var tags = References.TagsByImage.TryGetValue(c.Id, out var t) ? t : new List<string>();
            var digests = References.DigestsByImage.TryGetValue(c.Id, out var d) ? d : new List<string>();
            var img = new DockerImage
            {
                Store = root,
                Id = c.Id,
                Tags = tags,
                RepoDigests = digests,
                Created = c.Created,
                Parent = c.Parent,
                Os = c.Os,
                Architecture = c.Architecture,
                DiffIds = c.DiffIds,
                ChainIds = chains,
                Layers = new(chains.Select(ch => byChain.GetValueOrDefault(ch))),
                // moby daemon/images/images.go: an untagged image with children is hidden
                // (intermediate) unless it has a repo digest; "dangling" means no tag and no
                // children, so an image pulled by digest only is dangling too.
                IsIntermediate = tags.Count == 0 && digests.Count == 0 && parents.Contains(c.Id),
                IsDangling = tags.Count == 0 && !parents.Contains(c.Id),
            };
            img.History = HistorySteps(c, img.Layers);
            images.Add(img);
        }
        var configsById = Configs.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var img in images)
            PairHistoryWithImages(img, configsById);
        Images = images.OrderBy(i => i.Tags.Count == 0 && i.RepoDigests.Count == 0).ThenBy(i => i.Name, StringComparer.Ordinal).ToList();

        DescribeLayersFromHistory(Images);

        // Containers: layerdb/mounts gives the rw and init dirs.
        var mounts = MountDb.ToDictionary(m => m.ContainerId, StringComparer.Ordinal);
        var imagesById = Images.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var containers = new List<DockerContainer>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cc in containerConfigs)
        {
            seen.Add(cc.Id);
            var image = cc.ImageId is null ? null : imagesById.GetValueOrDefault(cc.ImageId);
            var c = new DockerContainer
            {
                Store = root,
                Id = cc.Id,
                Name = cc.Name,
                ImageId = cc.ImageId,
                Image = ImageShownFor(cc, image),
                State = cc.State,
                ExitCode = cc.ExitCode,
                Created = cc.Created,
                StartedAt = cc.StartedAt,
                FinishedAt = cc.FinishedAt,
                Driver = cc.Driver,
                MountPoints = cc.MountDestinations,
                ImageObject = image,
            };
            AttachLayers(c, mounts.GetValueOrDefault(cc.Id), image, byChain);
            containers.Add(c);
        }
        // A mount whose container config is gone still owns its dirs.
        foreach (var m in MountDb.Where(m => !seen.Contains(m.ContainerId)))
            AttachLayers(new DockerContainer { Store = root, Id = m.ContainerId, Name = Digests.Short(m.ContainerId), State = "unknown" }, m, null, byChain);
        Containers = containers.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

        // Who uses what: top-level images and containers, on each layer of their stack.
        foreach (var img in Images.Where(i => !i.IsIntermediate))
            foreach (var l in img.Layers.OfType<DockerLayer>())
            {
                l.Images.Add(img.Name);
                l.ImageIds.Add(img.Id);
            }
        foreach (var c in Containers)
        {
            c.ImageObject?.Containers.Add(c.Name);
            foreach (var l in c.LowerLayers.Prepend(c.RwLayer).OfType<DockerLayer>())
                l.Containers.Add(c.Name);
            if (c.ImageObject is { IsIntermediate: true } inter)
                foreach (var l in inter.Layers.OfType<DockerLayer>())
                    if (!l.ImageIds.Contains(inter.Id)) { l.Images.Add(inter.Name); l.ImageIds.Add(inter.Id); }
        }

        // Whatever overlay2 dir is left is referenced by nothing.
        foreach (var d in Dirs.Values)
            if (!_byCacheId.ContainsKey(d.CacheId))
            {
                var l = NewLayer(d.CacheId, d.IsBuildKitSnapshot ? LayerKind.BuildCache : LayerKind.Unreferenced, null, null, null, null);
                l.Position = l.Lowers.Count + 1;
                _byCacheId[d.CacheId] = l;
            }

        Layers = _byCacheId.Values
            .OrderBy(l => l.Kind is LayerKind.Unreferenced or LayerKind.BuildCache)
            .ThenBy(l => l.Position)
            .ThenBy(l => l.CacheId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Opens a store after checking it is one: throws <see cref="UnsupportedStoreException"/>
    /// for a containerd, podman or other-driver store, PosixException when it cannot be read.</summary>
    public static new DockerStore Open(string root = DefaultRoot)
    {
        var full = Path.GetFullPath(root).TrimEnd('/');
        if (full.Length == 0) full = "/";
        var kind = StoreKindDetector.Detect(full, out var description);
        if (kind != StoreKind.DockerOverlay2)
            throw new UnsupportedStoreException(kind, full, description);
        // The store's own dirs are root-only (0700/0710): say so rather than return nothing.
        foreach (var dir in new[] { Path.Combine(full, "image", "overlay2"), Path.Combine(full, "overlay2") })
        {
            var denied = Files.AccessError(dir, read: true, search: true);
            if (denied is not null)
                throw new PosixException(denied.Value, dir, "read store");
        }
        var rootDir = DirHandle.OpenRoot(full);
        try { return new DockerStore(full, rootDir); }
        catch (UnauthorizedAccessException e)
        {
            rootDir.Dispose();
            throw new PosixException(Errno.EACCES, full, e.Message, e);
        }
        catch
        {
            rootDir.Dispose();
            throw;
        }
    }

    public override DockerLayer? LayerByCacheId(string cacheId) => _byCacheId.GetValueOrDefault(cacheId);

    public override IReadOnlyList<StoreFinding> Check() => StoreCheck.Run(this);


    DockerLayer NewLayer(string cacheId, LayerKind kind, string? diffId, string? chainId, string? parent, long? size)
    {
        var dir = Dirs.GetValueOrDefault(cacheId);
        return new DockerLayer
        {
            Store = Root,
            CacheId = cacheId,
            Kind = kind,
            LinkId = dir?.LinkId,
            DiffId = diffId,
            ChainId = chainId,
            Parent = parent,
            Size = size,
            Lowers = dir is null ? TopmostFirst<string>.Empty : new(dir.LowerLinks.Select(ResolveLink)),
            Path = Path.Combine(Overlay2Path, cacheId),
            Exists = dir is not null,
            Owner = this,
        };
    }

    /// <summary>"l/NAME" -> the cache id its symlink points at, or "l/NAME" unchanged when it
    /// resolves nowhere (the store check reports that).</summary>
    string ResolveLink(string lowerEntry)
    {
        var name = lowerEntry.StartsWith("l/", StringComparison.Ordinal) ? lowerEntry[2..] : lowerEntry;
        return Overlay2DirReader.CacheIdOfLinkTarget(Links.GetValueOrDefault(name)) ?? lowerEntry;
    }

    static int Depth(string chainId, Dictionary<string, DockerLayer> byChain)
    {
        int depth = 0;
        for (string? c = chainId; c is not null && byChain.TryGetValue(c, out var l) && depth <= 1000; c = l.Parent)
            depth++;
        return depth;
    }

    internal static IReadOnlyList<ImageHistoryStep> HistorySteps(ImageConfig c, IReadOnlyList<DockerLayer?> layers)
    {
        var steps = new List<ImageHistoryStep>();
        int layer = 0;
        for (int i = 0; i < c.History.Count; i++)
        {
            var h = c.History[i];
            DockerLayer? l = null;
            if (!h.EmptyLayer)
            {
                l = layer < layers.Count ? layers[layer] : null;
                layer++;
            }
            steps.Add(new ImageHistoryStep(i, h.Created, h.CreatedBy, h.Comment, h.EmptyLayer) { Layer = l });
        }
        return steps;
    }

    /// <summary>moby daemon/images/image_history.go: walking the history newest first, each
    /// step gets the current image id, then the id moves to that image's parent.</summary>
    static void PairHistoryWithImages(DockerImage img, Dictionary<string, ImageConfig> configs)
    {
        string? id = img.Id;
        foreach (var step in img.History.Reverse())
        {
            step.ImageId = id;
            id = id is not null && configs.TryGetValue(id, out var c) ? c.Parent : null;
            if (id is null || !configs.ContainsKey(id))
                break;
        }
    }

    /// <summary>
    /// What <c>docker ps</c> shows as a container's image (moby daemon/list.go): the reference
    /// given at create while it still names the container's image; once the tag moved to a
    /// rebuilt image or the image was deleted, the image id.
    /// </summary>
    string? ImageShownFor(ContainerConfig cc, DockerImage? image)
    {
        var reference = cc.ImageReference;
        if (cc.ImageId is null)
            return reference ?? image?.Name;
        if (reference is null || Digests.Short(reference) == Digests.Short(cc.ImageId)
            || !FindImages(reference).Any(i => i.Id == cc.ImageId))
            return Digests.Short(cc.ImageId);
        return ImageReferences.Shown(reference);
    }

    /// <summary>
    /// A container's layers from layerdb/mounts/&lt;id&gt;: mount-id, init-id, and parent, the ChainID
    /// of the image layer it was created on (moby layer/mounted_layer.go). The read-only layers
    /// below come from that parent chain, not from the image config: <c>docker rmi -f</c> of the
    /// image deletes its config but the layers stay, held by the container.
    /// </summary>
    void AttachLayers(DockerContainer c, MountDbEntry? mount, DockerImage? image, Dictionary<string, DockerLayer> byChain)
    {
        if (mount is null)
            return;
        if (mount.Parent is not null)
        {
            var chain = new List<DockerLayer>();      // from the parent ChainID down: topmost first
            for (string? id = mount.Parent; id is not null && byChain.TryGetValue(id, out var l) && chain.Count <= 1000; id = l.Parent)
                chain.Add(l);
            c.ImageLayers = new TopmostFirst<DockerLayer>(chain).ToBaseFirst();
        }
        int imageDepth = c.ImageLayers?.Count ?? image?.Layers.Count ?? 0;
        if (mount.InitId is not null)
        {
            var init = NewLayer(mount.InitId, LayerKind.Init, null, null, mount.Parent, null);
            init.Position = imageDepth + 1;
            _byCacheId[init.CacheId] = init;
            c.InitLayer = init;
        }
        if (mount.MountId is not null)
        {
            var rw = NewLayer(mount.MountId, LayerKind.Container, null, null, mount.InitId, null);
            rw.Position = imageDepth + (mount.InitId is null ? 1 : 2);
            _byCacheId[rw.CacheId] = rw;
            c.RwLayer = rw;
        }
    }
}
