using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// Get-OverlayPathHistory: which layer of an image or container supplies a path, and which
/// layers added, replaced, merged, deleted or hid it on the way (bottom first).
/// </summary>
[Cmdlet(VerbsCommon.Get, "OverlayPathHistory", DefaultParameterSetName = ImageSet)]
[OutputType(typeof(PathLayerStep))]
public sealed class GetOverlayPathHistoryCommand : DockerStoreCommand
{
    const string ImageSet = "Image", ContainerSet = "Container", ObjectSet = "InputObject";

    /// <summary>Paths inside the image or container ("/etc/motd").</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>The image (tag or id).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageSet)]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    public string Image { get; set; } = "";

    /// <summary>The container (name or id): its image layers, init layer and read-write layer.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
    [ArgumentCompleter(typeof(DockerContainerNameCompleter))]
    public string Container { get; set; } = "";

    /// <summary>Images or containers from the pipeline, live or deserialized, each read from
    /// the store its Store names.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    Func<string, IReadOnlyList<PathLayerStep>>? _historyOf;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // With piped objects the parameter set is only known once the first one binds.
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Image)))
        {
            var images = ResolveImages(new[] { Image });
            if (images.Count != 1) { WriteOneOnly("image", Image, images.Count); return; }
            _historyOf = p => PathHistory.Of(images[0], p);
        }
        else if (MyInvocation.BoundParameters.ContainsKey(nameof(Container)))
        {
            var containers = ResolveContainers(new[] { Container });
            if (containers.Count != 1) { WriteOneOnly("container", Container, containers.Count); return; }
            _historyOf = p => PathHistory.Of(containers[0], p);
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != ObjectSet)
        {
            if (_historyOf is not null)
                WriteHistories(_historyOf);
            return;
        }
        foreach (var o in InputObject)
        {
            switch (PipedStoreObject.From(o) is { } piped ? ResolvePiped(piped).Found : o)
            {
                case DockerImage i: WriteHistories(p => PathHistory.Of(i, p)); break;
                case DockerContainer c: WriteHistories(p => PathHistory.Of(c, p)); break;
                case DockerLayer l:
                    WriteError(ErrorRecords.NotAnImageOrContainer(l.CacheId));
                    break;
                case null: break;   // gone from its store: ResolvePiped said so
                default: WriteNotAStoreObject(o); break;
            }
        }
    }

    void WriteHistories(Func<string, IReadOnlyList<PathLayerStep>> historyOf)
    {
        foreach (var p in Path)
        {
            Guarded(() =>
            {
                var steps = historyOf(p);
                if (steps.Count == 0)
                    WriteError(ErrorRecords.PathInNoLayer(p));
                foreach (var s in steps)
                    WriteObject(s);
            }, e => ErrorRecords.From(e, p, "LayerUnreadable"));
        }
    }

    void WriteOneOnly(string what, string name, int count)
    {
        if (count > 1)
            WriteError(ErrorRecords.Ambiguous(what, name, count));
    }
}
