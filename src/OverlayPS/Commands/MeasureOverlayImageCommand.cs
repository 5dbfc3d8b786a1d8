using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// Measure-OverlayImage: the wasted bytes of images, files later layers overwrote or
/// deleted, each listed with the layer that carries it and the layer that hid it.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "OverlayImage")]
[OutputType(typeof(ImageWaste))]
[OutputType(typeof(WastedFile))]
public sealed class MeasureOverlayImageCommand : DockerStoreCommand
{
    /// <summary>Tags, ids or wildcards; every top-level image when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    public string[]? Image { get; set; }

    /// <summary>Write each wasted file (with its image and layer) instead of one report per image.</summary>
    [Parameter]
    public SwitchParameter ListFiles { get; set; }

    protected override void ProcessRecord()
    {
        var store = OpenStore();
        var images = (Image is null ? store.Images.Where(i => !i.IsIntermediate) : ResolveImages(Image))
            .Where(i => _measured.Add((i.Store, i.Id))).ToList();
        for (int n = 0; n < images.Count; n++)
        {
            if (Stopping) return;
            var img = images[n];
            WriteProgress(new ProgressRecord(2, "Measuring wasted space", img.Name)
            { PercentComplete = 100 * n / images.Count });
            Guarded(() =>
            {
                var waste = WastedSpace.Measure(img);
                if (ListFiles)
                    WriteObject(waste.GetFiles(), enumerateCollection: true);
                else
                    WriteObject(waste);
            }, e => ErrorRecords.From(e, img.Name, "LayerUnreadable"));
        }
        WriteProgress(new ProgressRecord(2, "Measuring wasted space", "Done") { RecordType = ProgressRecordType.Completed });
    }

    readonly HashSet<(string, string)> _measured = new();
}
