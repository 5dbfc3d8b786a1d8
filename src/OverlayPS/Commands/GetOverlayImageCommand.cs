using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayImage: the images of a Docker store (like docker images), read offline;
/// with -History, each image's build steps (like docker history).</summary>
[Cmdlet(VerbsCommon.Get, "OverlayImage")]
[OutputType(typeof(DockerImage))]
[OutputType(typeof(ImageHistoryStep))]
public sealed class GetOverlayImageCommand : DockerStoreCommand
{
    /// <summary>Tags, ids or wildcards; all images when omitted. Binds by property name from a
    /// container's Image, or an image's Name.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    public string[]? Image { get; set; }

    /// <summary>Include the legacy builder's intermediate images (like docker images -a).</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>Write each image's history instead, newest step first, empty steps (ENV,
    /// LABEL...) included, as docker history does.</summary>
    [Parameter]
    public SwitchParameter History { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var images = Image is null ? store.Images.Where(i => All || !i.IsIntermediate) : ResolveImages(Image);
        // One object per image, however many of the references (or piped objects) name it.
        foreach (var img in images)
        {
            if (!_written.Add((img.Store, img.Id)))
                continue;
            if (History)
                WriteObject(img.GetHistory().Reverse(), enumerateCollection: true);
            else
                WriteObject(img);
        }
    }

    readonly HashSet<(string, string)> _written = new();
}
