using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
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
public abstract class DockerStoreCommand : GuardedCmdlet
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
        ImageStore? store = null;
        Guarded(() =>
        {
            root = HostPath.Resolve(SessionState, name);
            store = _stores[key] = ImageStore.Open(root, ns);
        }, e => ErrorRecords.ForStoreOpen(e, name, root), input: true, terminating: true);
        return store!;
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
        ThrowTerminatingError(ErrorRecords.NeedsLayerDb(store, what));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>The store, when it keeps each layer's tar-split (docker overlay2, containers-storage);
    /// a containerd store ends the command with one NotImplemented error.</summary>
    protected ImageStore RequireTarSplits(ImageStore store, string what)
    {
        if (store.HasTarSplits)
            return store;
        ThrowTerminatingError(ErrorRecords.NeedsTarSplits(store, what));
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>One non-terminating "not found" per name that matched nothing (like Get-Item).</summary>
    protected void WriteNotFound(string what, string name) =>
        WriteError(ErrorRecords.NotInStore(what, name, OpenStore().Root));

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
            WriteError(ErrorRecords.GoneFromStore(piped.Kind.ToString(), piped.ToString(), piped.Id, store.Root));
        return (store, found);
    }

    /// <summary>One error for a piped object that is no container, image or layer.</summary>
    protected void WriteNotAStoreObject(object input) =>
        WriteError(ErrorRecords.NotAStoreObject(input));

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
