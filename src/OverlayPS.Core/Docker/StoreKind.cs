namespace OverlayPS.Core.Docker;

/// <summary>What a directory given as a container store turned out to be.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum StoreKind
{
    /// <summary>Not there, or nothing we recognise.</summary>
    Unknown = 0,
    /// <summary>A dockerd data root using the overlay2 graph driver: the one this reader reads.</summary>
    DockerOverlay2,
    /// <summary>A dockerd data root using another graph driver (vfs, btrfs, zfs, fuse-overlayfs, ...).</summary>
    DockerOtherDriver,
    /// <summary>A dockerd data root whose images live in containerd (the containerd image store,
    /// the default of fresh Docker 29+ installs).</summary>
    DockerContainerdImageStore,
    /// <summary>A containerd root (or its overlayfs snapshotter dir): bbolt metadata, snapshots/&lt;n&gt;/fs.</summary>
    ContainerdOverlayfs,
    /// <summary>A containers/storage root (podman, buildah, CRI-O): overlay-layers/layers.json.</summary>
    Podman,
}

/// <summary>
/// The store is readable but is not a Docker overlay2 store: the message says what it is, so a
/// user is not handed a wrong (empty) answer.
/// </summary>
public sealed class UnsupportedStoreException : NotSupportedException
{
    public StoreKind Kind { get; }
    public string Root { get; }

    public UnsupportedStoreException(StoreKind kind, string root, string message) : base(message)
    {
        Kind = kind;
        Root = root;
    }
}
