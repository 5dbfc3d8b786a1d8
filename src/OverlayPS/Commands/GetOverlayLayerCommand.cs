using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// Get-OverlayLayer: the overlay2 layer dirs of a Docker store, with what owns and uses each.
/// Thin: parameter binding, one store lookup, output.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OverlayLayer", DefaultParameterSetName = AllSet)]
[OutputType(typeof(DockerLayer))]
public sealed class GetOverlayLayerCommand : DockerStoreCommand
{
    const string AllSet = "All", ImageSet = "Image", ContainerSet = "Container", IdSet = "Id", PathSet = "Path", ObjectSet = "InputObject";

    /// <summary>Layers of these images (tag, id or wildcard), bottom first.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageSet, Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    public string[] Image { get; set; } = Array.Empty<string>();

    /// <summary>Layers of these containers (name or id): image layers, init, read-write.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerContainerNameCompleter))]
    public string[] Container { get; set; } = Array.Empty<string>();

    /// <summary>Layers by overlay2 dir id (cache id), l/ link id, ChainID or DiffID; prefixes work.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [SupportsWildcards]
    [Alias("CacheId")]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Any path inside the store: answers "who owns this dir".</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Containers (all their layers), images (their layers), layers (themselves),
    /// live or deserialized, from the store each names; a string is a layer id; any other
    /// object with a FullName (a file) asks who owns that path.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    /// <summary>Measure each layer's diff dir (like docker ps -s) instead of trusting layerdb.</summary>
    [Parameter]
    public SwitchParameter MeasureSize { get; set; }

    protected override void ProcessRecord()
    {
        var layers = new List<DockerLayer>();
        switch (ParameterSetName)
        {
            case ImageSet:
                foreach (var img in ResolveImages(Image))
                    layers.AddRange(img.GetLayers().OfType<DockerLayer>());
                break;
            case ContainerSet:
                foreach (var c in ResolveContainers(Container))
                    layers.AddRange(c.GetLayers());
                break;
            case IdSet:
                layers.AddRange(ResolveLayerIds(Id));
                break;
            case PathSet:
                AddOwners(Path, layers);
                break;
            case ObjectSet:
                foreach (var o in InputObject)
                    AddPiped(o, layers);
                break;
            default:
                layers.AddRange(OpenStore().Layers);
                break;
        }
        // One object per layer in the whole pipeline: containers piped one by one share their image layers.
        var distinct = layers.Where(l => _written.Add((l.Store, l.CacheId))).ToList();
        if (MeasureSize)
        {
            var bar = new SizeProgressBar(this, "Measuring layer sizes");
            LayerSizer.MeasureLayers(distinct, bar,
                failed: (layer, e) => WriteError(ErrorRecords.From(e, layer.CacheId, "LayerUnreadable")));
            bar.Complete();
        }
        foreach (var l in distinct)
            WriteObject(l);
    }

    readonly HashSet<(string, string)> _written = new();

    void AddPiped(object input, List<DockerLayer> layers)
    {
        if (PipedStoreObject.From(input) is { } piped)
        {
            switch (ResolvePiped(piped).Found)
            {
                case DockerContainer c: layers.AddRange(c.GetLayers()); break;
                case DockerImage i: layers.AddRange(i.GetLayers().OfType<DockerLayer>()); break;
                case DockerLayer l: layers.Add(l); break;
            }
            return;
        }
        var pso = PSObject.AsPSObject(input);
        if (pso.BaseObject is string id)
            layers.AddRange(ResolveLayerIds(new[] { id }));
        else if (pso.Properties["FullName"]?.Value is string path)
            AddOwners(new[] { path }, layers);
        else
            WriteNotAStoreObject(input);
    }

    void AddOwners(IEnumerable<string> paths, List<DockerLayer> layers)
    {
        var store = OpenStore();
        foreach (var p in paths)
        {
            string full = p;
            if (!Guarded(() => full = HostPath.Resolve(SessionState, p), e => ErrorRecords.ForResolve(e, p, "PathNotOnFileSystem"), input: true))
                continue;
            var owner = store.LayerOwningPath(full);
            if (owner is null)
            {
                WriteError(ErrorRecords.PathOwnedByNoLayer(full, store.Root, store.OwnedOutsideView(full)));
                continue;
            }
            layers.Add(owner);
        }
    }
}
