using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// The common door of the Docker store cmdlets: -Store (a dockerd data root, /var/lib/docker by
/// default), opened once per pipeline. A store that is not overlay2 or cannot be read ends the
/// command with one clear error instead of an empty answer.
/// </summary>
public abstract class DockerStoreCommand : PSCmdlet
{
    /// <summary>The dockerd data root (--data-root), /var/lib/docker by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Store { get; set; } = DockerStore.DefaultRoot;

    DockerStore? _store;

    protected DockerStore OpenStore()
    {
        if (_store is not null)
            return _store;
        string root = Store;
        try
        {
            root = HostPath.Resolve(SessionState, Store);
            return _store = DockerStore.Open(root);
        }
        catch (PSArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreNotOnFileSystem", ErrorCategory.InvalidArgument, Store));
        }
        catch (UnsupportedStoreException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "StoreNotOverlay2", ErrorCategory.InvalidData, e.Root));
        }
        catch (PosixException e) when (e.Errno is Mono.Unix.Native.Errno.EACCES or Mono.Unix.Native.Errno.EPERM)
        {
            var msg = $"Cannot read the Docker store '{e.Path ?? root}': permission denied. Its directories are readable by root only; run as root (sudo pwsh).";
            ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException(msg, e), "StorePermissionDenied",
                ErrorCategory.PermissionDenied, e.Path ?? root));
        }
        catch (PosixException e) when (e.Errno is Mono.Unix.Native.Errno.ENOENT or Mono.Unix.Native.Errno.ENOTDIR)
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
