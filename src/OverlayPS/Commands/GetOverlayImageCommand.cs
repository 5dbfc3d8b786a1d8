using System.Management.Automation;
using OverlayPS.Core.Docker;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayImage: the images of a Docker store (like docker images), read offline.</summary>
[Cmdlet(VerbsCommon.Get, "OverlayImage")]
[OutputType(typeof(DockerImage))]
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

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var images = Image is null ? store.Images.Where(i => All || !i.IsIntermediate) : ResolveImages(Image);
        // One object per image, however many of the references (or piped objects) name it.
        foreach (var img in images)
            if (_written.Add((img.Store, img.Id)))
                WriteObject(img);
    }

    readonly HashSet<(string, string)> _written = new();
}
