using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayContainer: the containers of a Docker store (like docker ps -a), offline.</summary>
[Cmdlet(VerbsCommon.Get, "OverlayContainer")]
[OutputType(typeof(DockerContainer))]
public sealed class GetOverlayContainerCommand : DockerStoreCommand
{
    /// <summary>Names, ids or wildcards; all containers when omitted. Binds by property name
    /// from a container's Name and a change's Container.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Container")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerContainerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Measure the read-write layer (docker ps -s's SIZE).</summary>
    [Parameter]
    public SwitchParameter MeasureSize { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var result = new List<DockerContainer>();
        if (Name is null)
            result.AddRange(store.Containers);
        else
            result.AddRange(ResolveContainers(Name));
        if (MeasureSize)
        {
            var bar = new SizeProgressBar(this, "Measuring container layers");
            LayerSizer.MeasureLayers(result.Select(c => c.GetRwLayer()).OfType<DockerLayer>().ToList(), bar,
                failed: (layer, e) => WriteError(ErrorRecords.From(e, layer.CacheId, "LayerUnreadable")));
            bar.Complete();
        }
        foreach (var c in result)
            if (_written.Add((c.Store, c.Id)))
                WriteObject(c);
    }

    readonly HashSet<(string, string)> _written = new();
}
