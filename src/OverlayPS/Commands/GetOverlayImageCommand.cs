using System.Management.Automation;
using OverlayPS.Core.Docker;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayImage: the images of a Docker store (like docker images), read offline;
/// with -History, each image's build steps (like docker history).</summary>
[Cmdlet(VerbsCommon.Get, "OverlayImage")]
[OutputType(typeof(DockerImage))]
[OutputType(typeof(ImageHistoryStep))]
public sealed class GetOverlayImageCommand : DockerStoreCommand
{
    /// <summary>Tags, ids or wildcards; all images when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Include the legacy builder's intermediate images (like docker images -a).</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>Write each image's history instead, newest step first, empty steps (ENV,
    /// LABEL...) included, as docker history does.</summary>
    [Parameter]
    public SwitchParameter History { get; set; }

    protected override void ProcessRecord()
    {
        var images = Name is null
            ? OpenStore().Images.Where(i => All || !i.IsIntermediate)
            : ResolveImages(Name);
        foreach (var img in images)
        {
            if (History)
                WriteObject(img.History.Reverse(), enumerateCollection: true);
            else
                WriteObject(img);
        }
    }
}
