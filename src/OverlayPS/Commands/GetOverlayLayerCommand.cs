using System.Management.Automation;
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
    const string AllSet = "All", ImageSet = "Image", ContainerSet = "Container", IdSet = "Id", PathSet = "Path";

    /// <summary>Layers of these images (tag, id or wildcard), bottom first.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageSet, Position = 0, ValueFromPipelineByPropertyName = true)]
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
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Any path inside the store: answers "who owns this dir".</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Measure each layer's diff dir (like docker ps -s) instead of trusting layerdb.</summary>
    [Parameter]
    public SwitchParameter MeasureSize { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var layers = new List<DockerLayer>();
        switch (ParameterSetName)
        {
            case ImageSet:
                foreach (var img in ResolveImages(Image))
                    layers.AddRange(img.Layers.OfType<DockerLayer>());
                break;
            case ContainerSet:
                foreach (var c in ResolveContainers(Container))
                {
                    layers.AddRange(c.LowerLayers.Reverse());
                    if (c.RwLayer is not null) layers.Add(c.RwLayer);
                }
                break;
            case IdSet:
                layers.AddRange(ResolveLayerIds(Id));
                break;
            case PathSet:
                foreach (var p in Path)
                {
                    string full;
                    try { full = HostPath.Resolve(SessionState, p); }
                    catch (PSArgumentException e)
                    {
                        WriteError(new ErrorRecord(e, "PathNotOnFileSystem", ErrorCategory.InvalidArgument, p));
                        continue;
                    }
                    var owner = store.LayerOwningPath(full);
                    if (owner is null)
                    {
                        WriteError(new ErrorRecord(
                            new ItemNotFoundException($"'{full}' belongs to no layer of the Docker store '{store.Root}'."),
                            "PathOwnedByNoLayer", ErrorCategory.ObjectNotFound, full));
                        continue;
                    }
                    layers.Add(owner);
                }
                break;
            default:
                layers.AddRange(store.Layers);
                break;
        }
        var distinct = layers.Distinct().ToList();
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
}
