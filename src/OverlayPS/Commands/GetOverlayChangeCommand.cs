using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;
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
    [Alias("CacheId")]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>A container, layer or image object, live or deserialized (an image means its
    /// top layer), or a container name.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    protected override void ProcessRecord()
    {
        var layers = new List<(ImageStore Store, DockerLayer Layer, string? Image)>();
        switch (ParameterSetName)
        {
            case ContainerSet:
                foreach (var c in ResolveContainers(Container))
                    AddContainer(OpenStore(), c, layers);
                break;
            case IdSet:
                layers.AddRange(ResolveLayerIds(Id).Select(l => (OpenStore(), l, (string?)null)));
                break;
            default:
                foreach (var o in InputObject)
                {
                    if (PipedStoreObject.From(o) is { } piped)
                    {
                        var (store, found) = ResolvePiped(piped);
                        switch (found)
                        {
                            case DockerContainer c: AddContainer(store, c, layers); break;
                            case DockerLayer l: layers.Add((store, l, null)); break;
                            case DockerImage i when i.GetLayers().LastOrDefault() is { } top: layers.Add((store, top, i.Name)); break;
                            case DockerImage i:
                                WriteError(ErrorRecords.ImageHasNoLayer(i.Name));
                                break;
                        }
                    }
                    else if (PSObject.AsPSObject(o).BaseObject is string name)
                    {
                        // A piped name is a container name, as docker diff takes one.
                        foreach (var c in ResolveContainers(new[] { name }))
                            AddContainer(OpenStore(), c, layers);
                    }
                    else
                        WriteNotAStoreObject(o);
                }
                break;
        }
        foreach (var (store, layer, image) in layers)
        {
            ChangeSet? set = null;
            var progress = new ProgressDisplay(WriteProgress, "Get-OverlayChange", "Scanned");
            try { Guarded(() => set = store.GetChanges(layer, image, progress: progress.Show), e => ErrorRecords.From(e, layer.CacheId, "LayerUnreadable")); }
            finally { progress.Complete(); }
            if (set is null)
                continue;
            foreach (var w in set.Warnings)
                WriteWarning(w);
            foreach (var c in set.Changes)
            {
                if (Stopping) return;
                WriteObject(c);
            }
        }
    }

    void AddContainer(ImageStore store, DockerContainer c, List<(ImageStore, DockerLayer, string?)> layers)
    {
        if (c.GetRwLayer() is { } rw)
            layers.Add((store, rw, null));
        else
            WriteError(ErrorRecords.ContainerLayerMissing(c.Name, c.NoRwLayerReason));
    }
}
