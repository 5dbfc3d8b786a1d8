using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;
using OverlayPS.Progress;

namespace OverlayPS.Commands;

/// <summary>
/// Get-OverlayChange: what a container (docker diff) or any layer added, changed and deleted,
/// computed from its upper dir without mounting.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OverlayChange", DefaultParameterSetName = ContainerSet)]
[OutputType(typeof(LayerChange))]
public sealed class GetOverlayChangeCommand : DockerStoreCommand
{
    const string ContainerSet = "Container", IdSet = "Id", ObjectSet = "InputObject";

    /// <summary>Container names or ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ContainerSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerContainerNameCompleter))]
    public string[] Container { get; set; } = Array.Empty<string>();

    /// <summary>Layers by cache id, link id, ChainID or DiffID.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>A container, layer or image object (an image means its top layer).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var layers = new List<DockerLayer>();
        switch (ParameterSetName)
        {
            case ContainerSet:
                foreach (var c in ResolveContainers(Container))
                {
                    if (c.RwLayer is null)
                        WriteError(new ErrorRecord(new InvalidDataException(c.NoRwLayerReason),
                            "ContainerLayerMissing", ErrorCategory.ObjectNotFound, c.Name));
                    else layers.Add(c.RwLayer);
                }
                break;
            case IdSet:
                layers.AddRange(ResolveLayerIds(Id));
                break;
            default:
                foreach (var o in InputObject)
                {
                    var item = o is PSObject pso ? pso.BaseObject : o;
                    if (item is string name)
                    {
                        // A piped name is a container name, as docker diff takes one.
                        layers.AddRange(ResolveContainers(new[] { name }).Select(c => c.RwLayer).OfType<DockerLayer>());
                        continue;
                    }
                    var layer = item switch
                    {
                        DockerContainer c => c.RwLayer,
                        DockerLayer l => store.LayerByCacheId(l.CacheId),
                        DockerImage i => i.Layers.LastOrDefault(),
                        _ => null,
                    };
                    if (layer is null)
                        WriteError(new ErrorRecord(new ArgumentException($"'{o}' is not a container, layer or image of this store."),
                            "NotALayer", ErrorCategory.InvalidArgument, o));
                    else layers.Add(layer);
                }
                break;
        }
        foreach (var layer in layers)
        {
            ChangeSet set;
            var progress = new ProgressDisplay(WriteProgress, "Get-OverlayChange", "Scanned");
            try { set = store.GetChanges(layer, progress: progress.Show); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.From(e, layer.CacheId, "LayerUnreadable"));
                continue;
            }
            finally { progress.Complete(); }
            foreach (var w in set.Warnings)
                WriteWarning(w);
            foreach (var c in set.Changes)
            {
                if (Stopping) return;
                WriteObject(c);
            }
        }
    }
}
