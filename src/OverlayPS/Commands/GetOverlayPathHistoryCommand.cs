using System.Management.Automation;
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
    const string ImageSet = "Image", ContainerSet = "Container";

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

    Func<string, IReadOnlyList<PathLayerStep>>? _historyOf;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (ParameterSetName == ImageSet)
        {
            var images = ResolveImages(new[] { Image });
            if (images.Count != 1) { WriteOneOnly("image", Image, images.Count); return; }
            _historyOf = p => PathHistory.Of(images[0], p);
        }
        else
        {
            var containers = ResolveContainers(new[] { Container });
            if (containers.Count != 1) { WriteOneOnly("container", Container, containers.Count); return; }
            _historyOf = p => PathHistory.Of(containers[0], p);
        }
    }

    protected override void ProcessRecord()
    {
        if (_historyOf is null)
            return;
        foreach (var p in Path)
        {
            try
            {
                var steps = _historyOf(p);
                if (steps.Count == 0)
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No layer holds or held '{p}'."),
                        "PathInNoLayer", ErrorCategory.ObjectNotFound, p));
                foreach (var s in steps)
                    WriteObject(s);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.From(e, p, "LayerUnreadable"));
            }
        }
    }

    void WriteOneOnly(string what, string name, int count)
    {
        if (count > 1)
            WriteError(new ErrorRecord(new ArgumentException($"'{name}' names {count} {what}s; give one."),
                $"Ambiguous{what}", ErrorCategory.InvalidArgument, name));
    }
}
