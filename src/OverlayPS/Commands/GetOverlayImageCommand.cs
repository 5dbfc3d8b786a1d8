using System.Management.Automation;
using OverlayPS.Core.Docker;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayImage: the images of a Docker store (like docker images), read offline.</summary>
[Cmdlet(VerbsCommon.Get, "OverlayImage")]
[OutputType(typeof(DockerImage))]
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

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        if (Name is null)
        {
            foreach (var img in store.Images.Where(i => All || !i.IsIntermediate))
                WriteObject(img);
            return;
        }
        foreach (var img in ResolveImages(Name))
            WriteObject(img);
    }
}
