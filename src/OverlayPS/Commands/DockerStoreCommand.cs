using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Stores;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// The common door of the store cmdlets: -Store (a dockerd data root, /var/lib/docker by
/// default, or a containers-storage root), opened as the kind it is, each store once per pipeline. -Store also binds from the Store property
/// every output object carries, so a piped (or deserialized) object is looked up in the store
/// it came from. A store of a kind not read, or that cannot be read, ends the command with one
/// clear error instead of an empty answer.
/// </summary>
public abstract class DockerStoreCommand : PSCmdlet
{
    /// <summary>The store root: a dockerd data root (--data-root, /var/lib/docker by default) or a
    /// containers-storage graph root (podman's --root, /var/lib/containers/storage).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Store { get; set; } = DockerStore.DefaultRoot;

    /// <summary>The containerd namespace to read when -Store is a containerd root (default
    /// <c>default</c>) or a Docker data root using the containerd image store (default
    /// <c>moby</c>). Binds from the Namespace property of a piped containerd object (other
    /// stores' objects carry none: null or empty means the store's default).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull, AllowEmptyString]
    [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
    public string? Namespace { get; set; }

    readonly Dictionary<string, ImageStore> _stores = new(StringComparer.Ordinal);
    bool _storeGiven;

    protected override void BeginProcessing() =>
        _storeGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Store));   // on the command line, not from the pipeline

    /// <summary>The store -Store names now (it may change from one piped object to the next),
    /// or the one given.</summary>
    protected ImageStore OpenStore(string? given = null)
    {
        var name = given ?? Store;
        var ns = string.IsNullOrEmpty(Namespace) ? null : Namespace;
        var key = ns is null ? name : name + "\0" + ns;
        if (_stores.TryGetValue(key, out var open))
            return open;
        string root = name;
        try
        {
            root = HostPath.Resolve(SessionState, name);
            return _stores[key] = ImageStore.Open(root, ns);
        }
        catch (PSArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreNotOnFileSystem", ErrorCategory.InvalidArgument, name));
        }
        catch (OverlayPS.Core.Containerd.NamespaceNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "NamespaceNotFound", ErrorCategory.ObjectNotFound, e.Namespace));
        }
        catch (OverlayPS.Core.Bolt.BoltFormatException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreDatabaseCorrupt", ErrorCategory.InvalidData, e.File));
        }
        catch (UnsupportedStoreException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreNotOverlay2", ErrorCategory.InvalidData, e.Root));
        }
        catch (PosixException e) when (e.Errno is Errno.EACCES or Errno.EPERM)
        {
            var msg = $"Cannot read the store '{e.Path ?? root}': permission denied. Its directories are readable by root only; run as root (sudo pwsh).";
            ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException(msg, e), "StorePermissionDenied",
                ErrorCategory.PermissionDenied, e.Path ?? root));
        }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            ThrowTerminatingError(new ErrorRecord(
                new DirectoryNotFoundException($"The store '{root}' does not exist or is not a directory.", e),
                "StoreNotFound", ErrorCategory.ObjectNotFound, root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            ThrowTerminatingError(ErrorRecords.From(e, root, "StoreUnreadable"));
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// The store as a Docker overlay2 store, for what only docker's layerdb keeps (each layer's
    /// tar-split, the image configs as docker saves them); other kinds end the command with one
    /// NotImplemented error naming the kind.
    /// </summary>
    protected DockerStore RequireOverlay2(ImageStore store, string what)
    {
        if (store is DockerStore docker)
            return docker;
        ThrowTerminatingError(new ErrorRecord(
            new NotSupportedException($"{what} reads docker's layerdb (tar-split files); '{store.Root}' is a {store.Kind} store, which this does not read yet."),
            "StoreKindNotSupported", ErrorCategory.NotImplemented, store.Root));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>The store, when it keeps each layer's tar-split (docker overlay2, containers-storage);
    /// a containerd store ends the command with one NotImplemented error.</summary>
    protected ImageStore RequireTarSplits(ImageStore store, string what)
    {
        if (store.HasTarSplits)
            return store;
        ThrowTerminatingError(new ErrorRecord(
            new NotSupportedException($"{what} rebuilds layers from their tar-splits; '{store.Root}' is a {store.Kind} store, which keeps compressed layer blobs instead."),
            "StoreKindNotSupported", ErrorCategory.NotImplemented, store.Root));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>One non-terminating "not found" per name that matched nothing (like Get-Item).</summary>
    protected void WriteNotFound(string what, string name)
    {
        WriteError(new ErrorRecord(
            new ItemNotFoundException($"No {what} '{name}' in the store '{OpenStore().Root}'."),
            $"{what.Replace(" ", "")}NotFound", ErrorCategory.ObjectNotFound, name));
    }

    /// <summary>Containers for each name, one error per name that matches nothing.</summary>
    protected List<DockerContainer> ResolveContainers(IEnumerable<string> names)
    {
        var result = new List<DockerContainer>();
        foreach (var name in names)
        {
            var found = OpenStore().FindContainers(name).ToList();
            if (found.Count == 0 && !IsWildcard(name))
                WriteNotFound("container", name);
            result.AddRange(found);
        }
        return result;
    }

    /// <summary>Layers for each id (cache, link, chain or diff id), one error per id that matches nothing.</summary>
    protected List<DockerLayer> ResolveLayerIds(IEnumerable<string> ids)
    {
        var result = new List<DockerLayer>();
        foreach (var id in ids)
        {
            var found = OpenStore().FindLayers(id).ToList();
            if (found.Count == 0 && !IsWildcard(id))
                WriteNotFound("layer", id);
            result.AddRange(found);
        }
        return result;
    }

    /// <summary>Images for each reference, one error per reference that matches nothing.</summary>
    protected List<DockerImage> ResolveImages(IEnumerable<string> refs)
    {
        var result = new List<DockerImage>();
        foreach (var r in refs)
        {
            var found = OpenStore().FindImages(r).ToList();
            if (found.Count == 0 && !IsWildcard(r))
                WriteNotFound("image", r);
            result.AddRange(found);
        }
        return result;
    }

    protected static bool IsWildcard(string s) => WildcardPattern.ContainsWildcardCharacters(s);

    /// <summary>The container, image or layer a piped object stands for, found again by its
    /// whole id in the store it names (-Store when given on the command line, which a piped
    /// collection, bound whole, could not set); one error when the store no longer has it.</summary>
    protected (ImageStore Store, object? Found) ResolvePiped(PipedStoreObject piped)
    {
        var store = OpenStore(!_storeGiven && !string.IsNullOrEmpty(piped.Store) ? piped.Store : null);
        object? found = piped.Kind switch
        {
            PipedKind.Container => store.Containers.FirstOrDefault(c => c.Id == piped.Id),
            PipedKind.Image => store.Images.FirstOrDefault(i => i.Id == piped.Id),
            _ => store.LayerByCacheId(piped.Id),
        };
        if (found is null)
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"The {piped} is not in the store '{store.Root}' (any more)."),
                $"{piped.Kind}NotFound", ErrorCategory.ObjectNotFound, piped.Id));
        return (store, found);
    }

    /// <summary>One error for a piped object that is no container, image or layer.</summary>
    protected void WriteNotAStoreObject(object input) =>
        WriteError(new ErrorRecord(
            new ArgumentException($"'{input}' is not a container, layer or image of a store (nor a name of one)."),
            "NotAStoreObject", ErrorCategory.InvalidArgument, input));

    /// <summary>WriteProgress fed synchronously from Core's measurement loop (same thread).</summary>
    protected sealed class SizeProgressBar : IProgress<SizeProgress>
    {
        readonly Cmdlet _cmdlet;
        readonly string _activity;
        public SizeProgressBar(Cmdlet cmdlet, string activity) { _cmdlet = cmdlet; _activity = activity; }

        public void Report(SizeProgress p)
        {
            int pct = p.LayerCount == 0 ? 0 : (int)(100L * p.LayerIndex / p.LayerCount);
            _cmdlet.WriteProgress(new ProgressRecord(1, _activity,
                $"Layer {p.LayerIndex + 1}/{p.LayerCount} {Digests.Short(p.Layer)}: {p.Files} files, {p.Bytes} bytes")
            { PercentComplete = pct });
        }

        public void Complete() =>
            _cmdlet.WriteProgress(new ProgressRecord(1, _activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
