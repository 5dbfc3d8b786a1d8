using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>
/// Recognises a container store from its on-disk shape alone (no daemon, no database read):
/// moby's <c>image/&lt;driver&gt;/</c> + <c>&lt;driver&gt;/</c> pair, containerd's
/// <c>io.containerd.snapshotter.v1.overlayfs/{metadata.db,snapshots/}</c>, containers/storage's
/// <c>overlay-layers/layers.json</c> beside <c>overlay/</c>.
/// </summary>
public static class StoreKindDetector
{
    const string ContainerdSnapshotter = "io.containerd.snapshotter.v1.overlayfs";

    /// <summary>Classifies <paramref name="root"/>; throws PosixException (ENOENT, EACCES, ENOTDIR)
    /// when the directory itself cannot be looked at, so the caller reports that instead.</summary>
    public static StoreKind Detect(string root, out string description)
    {
        var st = Files.Stat(root);
        if (!st.IsDirectory)
            throw new PosixException(Errno.ENOTDIR, root, "open store");
        var denied = Files.AccessError(root, read: true, search: true);
        if (denied is not null)
            throw new PosixException(denied.Value, root, "open store");

        if (IsDir(root, "image/overlay2") && IsDir(root, "overlay2"))
        {
            description = $"'{root}' is a Docker data root using the overlay2 storage driver.";
            return StoreKind.DockerOverlay2;
        }
        // A moby data root: image/<driver>/ names the graph driver in use.
        if (IsDir(root, "image"))
        {
            var drivers = Subdirs(Path.Combine(root, "image"));
            var usable = drivers.Where(d => IsDir(root, $"image/{d}/imagedb") || IsDir(root, d)).ToList();
            if (usable.Count > 0 && !usable.Contains("overlay2"))
            {
                description = $"'{root}' is a Docker data root using the '{string.Join("', '", usable)}' storage driver, not overlay2; only overlay2 stores can be read.";
                return StoreKind.DockerOtherDriver;
            }
        }
        if (IsDir(root, "containerd/daemon/" + ContainerdSnapshotter) || (IsDir(root, "containers") && IsDir(root, "volumes") && !IsDir(root, "image/overlay2")))
        {
            description = $"'{root}' is a Docker data root using the containerd image store (the default of Docker 29+): image layers are containerd snapshots under /var/lib/containerd/{ContainerdSnapshotter}, described by bbolt databases, not overlay2 dirs. It is recognised but not read.";
            return StoreKind.DockerContainerdImageStore;
        }
        foreach (var snap in new[] { root, Path.Combine(root, ContainerdSnapshotter) })
        {
            if (File.Exists(Path.Combine(snap, "metadata.db")) && IsDir(snap, "snapshots"))
            {
                int n = Subdirs(Path.Combine(snap, "snapshots")).Count;
                description = $"'{root}' is a containerd overlayfs snapshotter store ({n} snapshots in '{Path.Combine(snap, "snapshots")}'), what Docker 29+, nerdctl and Kubernetes nodes use; its layers are described by bbolt databases, not overlay2 dirs. It is recognised but not read.";
                return StoreKind.ContainerdOverlayfs;
            }
        }
        // containers/storage: <root>/overlay-layers/layers.json, layer dirs in <root>/overlay/.
        // Given the overlay/ dir itself, look one level up.
        foreach (var storage in new[] { root, Path.GetDirectoryName(root) ?? root })
        {
            if (File.Exists(Path.Combine(storage, "overlay-layers/layers.json")) || IsDir(storage, "overlay-layers") && IsDir(storage, "overlay-images"))
            {
                description = $"'{storage}' is a containers/storage store (podman, buildah, CRI-O): layers are listed in overlay-layers/layers.json and images in overlay-images/images.json, not in a Docker layerdb. It is recognised but not read.";
                return StoreKind.Podman;
            }
        }
        // A dir inside a data root (overlay2/, image/overlay2/layerdb, a layer dir...): name the root.
        for (var up = Path.GetDirectoryName(root); up is not null && up != "/"; up = Path.GetDirectoryName(up))
        {
            if (IsDir(up, "image/overlay2") && IsDir(up, "overlay2"))
            {
                description = $"'{root}' is inside the Docker data root '{up}': pass that as -Store.";
                return StoreKind.Unknown;
            }
        }
        if (IsDir(root, "docker/image/overlay2"))
        {
            description = $"'{root}' is not a Docker data root, but '{Path.Combine(root, "docker")}' is: pass that as -Store.";
            return StoreKind.Unknown;
        }
        description = $"'{root}' is not a Docker data root (no image/overlay2 and overlay2 dirs), nor a containerd or podman store.";
        return StoreKind.Unknown;
    }

    static bool IsDir(string root, string rel) => Directory.Exists(Path.Combine(root, rel));

    static List<string> Subdirs(string dir)
    {
        try { return Directory.EnumerateDirectories(dir).Select(d => Path.GetFileName(d)!).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new List<string>(); }
    }
}
