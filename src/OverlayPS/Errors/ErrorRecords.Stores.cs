using System.Management.Automation;
using OverlayPS.Core.Bolt;
using OverlayPS.Core.Containerd;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;

namespace OverlayPS.Errors;

/// <summary>
/// The rows of the store cmdlets (Get-OverlayImage and the others over a Docker, podman or
/// containerd store): a store that cannot be opened ends the command; a name, id or piped
/// object that finds nothing (or too much) is one non-terminating error naming it.
/// </summary>
public static partial class ErrorRecords
{
    /// <summary>-Store could not be opened: <paramref name="given"/> as typed, <paramref name="root"/>
    /// the host directory it resolved to (the same when it did not resolve).</summary>
    public static ErrorRecord ForStoreOpen(Exception e, string given, string root) => e switch
    {
        // -Store on another provider, or on a drive that does not exist.
        PSArgumentException or SessionStateException => ForResolve(e, given, "StoreNotOnFileSystem"),
        NamespaceNotFoundException n => new ErrorRecord(e, "NamespaceNotFound", ErrorCategory.ObjectNotFound, n.Namespace),
        BoltFormatException b => new ErrorRecord(e, "StoreDatabaseCorrupt", ErrorCategory.InvalidData, b.File),
        UnsupportedStoreException u => new ErrorRecord(e, "StoreNotOverlay2", ErrorCategory.InvalidData, u.Root),
        PosixException { Errno: Errno.EACCES or Errno.EPERM } p => new ErrorRecord(
            new UnauthorizedAccessException($"Cannot read the store '{p.Path ?? root}': permission denied. Its directories are readable by root only; run as root (sudo pwsh).", e),
            "StorePermissionDenied", ErrorCategory.PermissionDenied, p.Path ?? root),
        PosixException { Errno: Errno.ENOENT or Errno.ENOTDIR } => new ErrorRecord(
            new DirectoryNotFoundException($"The store '{root}' does not exist or is not a directory.", e),
            "StoreNotFound", ErrorCategory.ObjectNotFound, root),
        _ => From(e, root, "StoreUnreadable"),
    };

    /// <summary>A cmdlet that reads docker's layerdb, given a store of another kind.</summary>
    public static ErrorRecord NeedsLayerDb(ImageStore store, string what) => StoreKindNotSupported(store,
        $"{what} reads docker's layerdb (tar-split files); '{store.Root}' is a {store.Kind} store, which this does not read yet.");

    /// <summary>A cmdlet that rebuilds layer tars, given a store that keeps no tar-splits (containerd).</summary>
    public static ErrorRecord NeedsTarSplits(ImageStore store, string what) => StoreKindNotSupported(store,
        $"{what} rebuilds layers from their tar-splits; '{store.Root}' is a {store.Kind} store, which keeps compressed layer blobs instead.");

    static ErrorRecord StoreKindNotSupported(ImageStore store, string message) =>
        new(new NotSupportedException(message), "StoreKindNotSupported", ErrorCategory.NotImplemented, store.Root);

    /// <summary>A name or id (<paramref name="what"/>: container, image, layer) that matched nothing.</summary>
    public static ErrorRecord NotInStore(string what, string name, string storeRoot) =>
        new(new ItemNotFoundException($"No {what} '{name}' in the store '{storeRoot}'."), Pascal(what) + "NotFound", ErrorCategory.ObjectNotFound, name);

    /// <summary>A piped object (<paramref name="shown"/>: "container 0123abcd") whose store no
    /// longer has it; the same id as a name that matches nothing.</summary>
    public static ErrorRecord GoneFromStore(string what, string shown, string id, string storeRoot) =>
        new(new ItemNotFoundException($"The {shown} is not in the store '{storeRoot}' (any more)."), Pascal(what) + "NotFound", ErrorCategory.ObjectNotFound, id);

    /// <summary>A name or id that matches several where one is needed.</summary>
    public static ErrorRecord Ambiguous(string what, string name, int count) =>
        new(new ArgumentException($"'{name}' names {count} {what}s; give one (more of its id, or no wildcard)."),
            "Ambiguous" + Pascal(what), ErrorCategory.InvalidArgument, name);

    public static ErrorRecord NotAStoreObject(object input) =>
        new(new ArgumentException($"'{input}' is not a container, layer or image of a store (nor a name of one)."),
            "NotAStoreObject", ErrorCategory.InvalidArgument, input);

    /// <summary>Save-OverlayImage given images of a second store: one tar holds one store's images.</summary>
    public static ErrorRecord ImagesOfSeveralStores(string storeRoot, string firstRoot) =>
        new(new ArgumentException($"Save-OverlayImage saves images of one store; '{storeRoot}' is not '{firstRoot}'."),
            "ImagesOfSeveralStores", ErrorCategory.InvalidArgument, storeRoot);

    public static ErrorRecord ImageHasNoLayer(string image) =>
        new(new InvalidDataException($"Image {image} has no layers: it changes nothing."), "ImageHasNoLayer", ErrorCategory.ObjectNotFound, image);

    /// <summary>A container whose read-write layer the store does not have (the reason says why).</summary>
    public static ErrorRecord ContainerLayerMissing(string container, string? reason) =>
        new(new InvalidDataException(reason), "ContainerLayerMissing", ErrorCategory.ObjectNotFound, container);

    /// <summary>An image's layer the store does not hold (1-based <paramref name="index"/>).</summary>
    public static ErrorRecord ImageLayerMissing(string image, int index, string diffId) =>
        new(new ItemNotFoundException($"Layer {index} of image {image} ({diffId}) is not in the store; run Test-OverlayStore."),
            "LayerNotFound", ErrorCategory.ObjectNotFound, diffId);

    public static ErrorRecord LayerIndexOutOfRange(string image, int layerCount, int index) =>
        new(new ArgumentOutOfRangeException("Index", $"Image {image} has {layerCount} layers; -Index {index} is past its top."),
            "LayerIndexOutOfRange", ErrorCategory.InvalidArgument, index);

    /// <summary>Export-OverlayLayer of an init or container layer: only image layers have a recorded tar.</summary>
    public static ErrorRecord NotAnImageLayer(string cacheId, LayerKind kind) =>
        new(new ArgumentException($"Layer {cacheId} is a {kind} layer: only image layers have a recorded tar to export."),
            "NotAnImageLayer", ErrorCategory.InvalidArgument, cacheId);

    /// <summary>Get-OverlayPathHistory given a bare layer: a history needs the image or container above it.</summary>
    public static ErrorRecord NotAnImageOrContainer(string cacheId) =>
        new(new ArgumentException($"Layer {cacheId} alone has no path history: pipe its image or container."),
            "NotAnImageOrContainer", ErrorCategory.InvalidArgument, cacheId);

    public static ErrorRecord PathInNoLayer(string path) =>
        new(new ItemNotFoundException($"No layer holds or held '{path}'."), "PathInNoLayer", ErrorCategory.ObjectNotFound, path);

    /// <summary>A host path no layer dir of the store holds; <paramref name="elsewhere"/> says
    /// which other part of the store owns it (a snapshot of another containerd namespace).</summary>
    public static ErrorRecord PathOwnedByNoLayer(string fullPath, string storeRoot, string? elsewhere) =>
        new(new ItemNotFoundException($"'{fullPath}' belongs to no layer of the store '{storeRoot}'.{elsewhere}"),
            "PathOwnedByNoLayer", ErrorCategory.ObjectNotFound, fullPath);

    /// <summary>"container" -> "Container", "image layer" -> "ImageLayer": the word in an id.</summary>
    static string Pascal(string words) =>
        string.Concat(words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
