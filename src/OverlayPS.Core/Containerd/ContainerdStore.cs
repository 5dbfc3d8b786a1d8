using OverlayPS.Core.Bolt;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Containerd;

/// <summary>
/// A containerd root read offline, one namespace at a time: its metadata database (images,
/// containers, snapshot keys), the overlayfs snapshotter's database (backend names to the
/// numeric ids naming <c>snapshots/&lt;id&gt;/fs</c>, kinds, parents) and the content blobs an
/// image is described by (index, manifest, config), tied into the same images, layers and
/// containers the Docker reader gives. Also what Docker 29+ uses on fresh installs (the
/// containerd image store, namespace <c>moby</c>). Nothing is locked and nothing is written:
/// the databases are read whole into memory (bounded) while containerd may be running.
/// </summary>
public sealed partial class ContainerdStore : ImageStore
{
    public const string DefaultRoot = "/var/lib/containerd";
    public const string MetaDbRel = "io.containerd.metadata.v1.bolt/meta.db";
    public const string SnapshotterDir = "io.containerd.snapshotter.v1.overlayfs";
    public const string SnapshotterDbRel = SnapshotterDir + "/metadata.db";
    /// <summary>Where dockerd keeps the containerd it starts itself, under its data root.</summary>
    public const string DockerManagedRoot = "containerd/daemon";
    /// <summary>A metadata database larger than this is not read (a busy node's meta.db is tens of MiB).</summary>
    public const int BoltCap = 256 * 1024 * 1024;

    readonly StoreKind _kind;
    readonly string _namespace;
    /// <summary>The containerd root relative to the store root: "" or "containerd/daemon/".</summary>
    readonly string _prefix;

    public override StoreKind Kind => _kind;
    public override string? Namespace => _namespace;
    /// <summary>The dir holding io.containerd.* (the store root, or containerd/daemon under a Docker root).</summary>
    public string ContainerdRoot => _prefix.Length == 0 ? Root : Path.Combine(Root, _prefix.TrimEnd('/'));
    public string SnapshotsPath => Path.Combine(ContainerdRoot, SnapshotterDir, "snapshots");
    /// <summary>Every namespace the metadata database holds.</summary>
    public IReadOnlyList<string> Namespaces => Metadata.Namespaces;

    internal ContainerdMetadata Metadata { get; }
    internal SnapshotterMetadata Snapshotter { get; }
    /// <summary>The names under snapshots/ (every namespace's dirs, and any orphan).</summary>
    internal IReadOnlyList<string> SnapshotDirs { get; }
    internal StoreFiles StoreFiles { get; }

    readonly Dictionary<string, DockerLayer> _byKey = new(StringComparer.Ordinal);

    ContainerdStore(string root, DirHandle rootDir, StoreKind kind, string prefix, string? ns, string architecture) : base(root, rootDir)
    {
        _kind = kind;
        _prefix = prefix;
        StoreFiles = new StoreFiles(rootDir, root);
        var metaDb = ReadBolt(prefix + MetaDbRel);
        _namespace = ns ?? (kind == StoreKind.DockerContainerdImageStore || root.EndsWith("/" + DockerManagedRoot, StringComparison.Ordinal) ? "moby" : "default");
        Metadata = new ContainerdMetadata(metaDb, _namespace);
        if (ns is not null && !Metadata.Namespaces.Contains(ns))
            throw new NamespaceNotFoundException(ns, $"The containerd store '{root}' has no namespace '{ns}'; it has: {string.Join(", ", Metadata.Namespaces)}.");
        Snapshotter = new SnapshotterMetadata(ReadBolt(prefix + SnapshotterDbRel));
        SnapshotDirs = StoreFiles.Names(prefix + SnapshotterDir + "/snapshots", "snapshots");

        var problems = new List<string>();
        var blobs = new ContentBlobs(StoreFiles, prefix, problems);
        var resolved = Metadata.Images.Select(i => (Record: i, Image: ImageManifests.Resolve(blobs, i, architecture, problems))).ToList();
        // A ChainID's DiffID, from any image that has the layer (each ChainID fixes its DiffID).
        var diffIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, r) in resolved)
            if (r.Config is { } c)
                foreach (var (chain, diff) in Digests.ChainIds(c.DiffIds).Zip(c.DiffIds))
                    diffIds.TryAdd(chain, diff);

        BuildLayers(diffIds);
        Images = BuildImages(resolved);
        Containers = BuildContainers();
        ReadProblems = problems;
        MarkUsers();
        Layers = _byKey.Values.Concat(UnreferencedDirs())
            .OrderBy(l => l.Kind is LayerKind.Unreferenced)
            .ThenBy(l => l.Position)
            .ThenBy(l => l.CacheId.Length).ThenBy(l => l.CacheId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Opens the containerd store at <paramref name="full"/> (as detected: a containerd root,
    /// its overlayfs snapshotter dir, or a Docker data root whose dockerd runs its own containerd
    /// under containerd/daemon). <paramref name="ns"/> null picks the default namespace.
    /// </summary>
    public static ContainerdStore Open(string full, StoreKind kind, string description, string? ns, string? architecture = null)
    {
        string prefix = "";
        if (kind == StoreKind.DockerContainerdImageStore)
        {
            if (!Directory.Exists(Path.Combine(full, DockerManagedRoot, "io.containerd.metadata.v1.bolt")))
                throw new UnsupportedStoreException(kind, full,
                    $"{description} Its images are in the containerd that dockerd talks to, not under this root: pass that containerd's root (usually {DefaultRoot}) as -Store, with -Namespace moby.");
            prefix = DockerManagedRoot + "/";
        }
        else if (Path.GetFileName(full) == SnapshotterDir)
            full = Path.GetDirectoryName(full)!;   // given the snapshotter dir: its containerd root holds meta.db
        if (!File.Exists(Path.Combine(full, prefix + MetaDbRel)))
            throw new UnsupportedStoreException(kind, full,
                $"'{full}' has a containerd overlayfs snapshotter but no metadata database ({prefix}{MetaDbRel}): without it, its snapshots cannot be tied to images or containers.");
        var denied = Files.AccessError(Path.Combine(full, prefix + SnapshotterDir), read: true, search: true);
        if (denied is not null)
            throw new PosixException(denied.Value, Path.Combine(full, prefix + SnapshotterDir), "read store");
        var rootDir = DirHandle.OpenRoot(full);
        try { return new ContainerdStore(full, rootDir, kind, prefix, ns, architecture ?? ImageManifests.HostArchitecture); }
        catch
        {
            rootDir.Dispose();
            throw;
        }
    }

    /// <summary>A bbolt file read whole, bounded, as a regular file beneath the root (never
    /// through a link), with no lock: containerd may hold its flock, which binds writers only.</summary>
    BoltDb ReadBolt(string rel)
    {
        var bytes = StoreFiles.ReadCapped(rel, BoltCap, rel)
            ?? throw new InvalidDataException(StoreFiles.Findings.LastOrDefault(f => f.Path == StoreFiles.FullPath(rel))?.Message
                ?? $"containerd's database '{StoreFiles.FullPath(rel)}' is missing.");
        return BoltDb.Parse(bytes, StoreFiles.FullPath(rel));
    }

    /// <summary>The layer of a snapshot key of this namespace.</summary>
    public DockerLayer? LayerBySnapshotKey(string key) => _byKey.GetValueOrDefault(key);
}
