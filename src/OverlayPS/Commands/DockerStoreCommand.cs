using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// The common door of the Docker store cmdlets: -Store (a dockerd data root, /var/lib/docker by
/// default), each store opened once per pipeline. -Store also binds from the Store property
/// every output object carries, so a piped (or deserialized) object is looked up in the store
/// it came from. A store that is not overlay2 or cannot be read ends the command with one
/// clear error instead of an empty answer.
/// </summary>
public abstract class DockerStoreCommand : PSCmdlet
{
    /// <summary>The dockerd data root (--data-root), /var/lib/docker by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Store { get; set; } = DockerStore.DefaultRoot;

    readonly Dictionary<string, DockerStore> _stores = new(StringComparer.Ordinal);
    bool _storeGiven;

    protected override void BeginProcessing() =>
        _storeGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Store));   // on the command line, not from the pipeline

    /// <summary>The store -Store names now (it may change from one piped object to the next),
    /// or the one given.</summary>
    protected DockerStore OpenStore(string? given = null)
    {
        var name = given ?? Store;
        if (_stores.TryGetValue(name, out var open))
            return open;
        string root = name;
        try
        {
            root = HostPath.Resolve(SessionState, name);
            return _stores[name] = DockerStore.Open(root);
        }
        catch (PSArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreNotOnFileSystem", ErrorCategory.InvalidArgument, name));
        }
        catch (UnsupportedStoreException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreNotOverlay2", ErrorCategory.InvalidData, e.Root));
        }
        catch (PosixException e) when (e.Errno is Errno.EACCES or Errno.EPERM)
        {
            var msg = $"Cannot read the Docker store '{e.Path ?? root}': permission denied. Its directories are readable by root only; run as root (sudo pwsh).";
            ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException(msg, e), "StorePermissionDenied",
                ErrorCategory.PermissionDenied, e.Path ?? root));
        }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            ThrowTerminatingError(new ErrorRecord(
                new DirectoryNotFoundException($"The Docker store '{root}' does not exist or is not a directory.", e),
                "StoreNotFound", ErrorCategory.ObjectNotFound, root));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            ThrowTerminatingError(ErrorRecords.From(e, root, "StoreUnreadable"));
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>One non-terminating "not found" per name that matched nothing (like Get-Item).</summary>
    protected void WriteNotFound(string what, string name)
    {
        WriteError(new ErrorRecord(
            new ItemNotFoundException($"No {what} '{name}' in the Docker store '{OpenStore().Root}'."),
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
    protected (DockerStore Store, object? Found) ResolvePiped(PipedStoreObject piped)
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
                new ItemNotFoundException($"The {piped} is not in the Docker store '{store.Root}' (any more)."),
                $"{piped.Kind}NotFound", ErrorCategory.ObjectNotFound, piped.Id));
        return (store, found);
    }

    /// <summary>One error for a piped object that is no container, image or layer.</summary>
    protected void WriteNotAStoreObject(object input) =>
        WriteError(new ErrorRecord(
            new ArgumentException($"'{input}' is not a container, layer or image of a Docker store (nor a name of one)."),
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
