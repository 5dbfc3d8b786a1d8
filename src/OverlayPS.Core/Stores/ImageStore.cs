using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Stores;

/// <summary>
/// A container engine's image store read from disk, offline, whatever its layout: Docker's
/// overlay2 (<see cref="DockerStore"/>), containers-storage (podman, buildah, CRI-O), containerd's
/// overlayfs snapshotter. Each subclass reads its own metadata once, at open, into the one output
/// model every cmdlet knows (<see cref="DockerImage"/>, <see cref="DockerLayer"/>,
/// <see cref="DockerContainer"/>, each naming its Store and StoreKind); everything built on
/// layers (finding, views, changes, path history, sizes) is done here, once, over layer dirs the
/// subclass opens beneath its held root (<see cref="OpenDiff"/>). What only a layout knows is
/// abstract: where a layer's dir is, which layers are below it, who owns a path, what a
/// consistent store looks like.
/// </summary>
public abstract partial class ImageStore
{
    protected ImageStore(string root, DirHandle rootDir)
    {
        Root = root;
        RootDir = rootDir;
    }

    /// <summary>The store root as given (made absolute).</summary>
    public string Root { get; }
    public abstract StoreKind Kind { get; }

    /// <summary>Every layer dir of the store, base layers first, unreferenced dirs last.</summary>
    public IReadOnlyList<DockerLayer> Layers { get; protected set; } = Array.Empty<DockerLayer>();
    /// <summary>Images, tagged ones first by name, then untagged.</summary>
    public IReadOnlyList<DockerImage> Images { get; protected set; } = Array.Empty<DockerImage>();
    /// <summary>Containers by name.</summary>
    public IReadOnlyList<DockerContainer> Containers { get; protected set; } = Array.Empty<DockerContainer>();
    /// <summary>Things that could not be parsed (a broken JSON file, ...).</summary>
    public IReadOnlyList<string> ReadProblems { get; protected set; } = Array.Empty<string>();

    /// <summary>The store root, held from open: every store file and layer dir is reached
    /// beneath it, never by a path walked again from "/".</summary>
    protected DirHandle RootDir { get; }

    Dictionary<string, DockerLayer>? _byId;

    /// <summary>The layer whose dir id (overlay2 cache id, containers-storage layer id,
    /// snapshot id) is <paramref name="id"/>.</summary>
    public virtual DockerLayer? LayerByCacheId(string id)
    {
        _byId ??= Layers.GroupBy(l => l.CacheId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return _byId.GetValueOrDefault(id);
    }

    /// <summary>
    /// A layer's diff dir (the files it holds), opened beneath the store root with no symlink
    /// on the way: a dir swapped for a link to a host dir is an <see cref="UnsafeStoreException"/>,
    /// never a read of the host. Null when the layer has no diff dir (a damaged store). The
    /// caller owns the handle.
    /// </summary>
    internal abstract DirHandle? OpenDiff(DockerLayer layer);

    /// <summary>The layers below a layer, base first (what its mount would use). Throws
    /// InvalidDataException when the store's record of them does not resolve: a broken store.</summary>
    public abstract BaseFirst<DockerLayer> LowerLayers(DockerLayer layer);

    /// <summary>"Who owns this dir?": the layer a path inside the store belongs to; null when
    /// the path is outside the store or belongs to no layer.</summary>
    public abstract DockerLayer? LayerOwningPath(string path);

    /// <summary>What is orphaned or broken in the store (Test-OverlayStore), from what opening
    /// it read: changes nothing.</summary>
    public abstract IReadOnlyList<StoreFinding> Check();

    /// <summary>Markers in the store's layers use user.overlay.* (rootless engines) rather than
    /// trusted.overlay.*.</summary>
    protected virtual bool UserXattr => false;

    /// <summary>The engine options a view of this store needs on top of the caller's (a store
    /// written with metacopy=on is read with the metacopy rules).</summary>
    protected virtual Union.OverlayFsOptions? ViewOptions(Union.OverlayFsOptions? given) => given;
}
