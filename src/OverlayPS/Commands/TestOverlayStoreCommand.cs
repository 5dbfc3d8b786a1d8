using System.Management.Automation;
using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;
using OverlayPS.Progress;

namespace OverlayPS.Commands;

/// <summary>
/// Test-OverlayStore: reports what is orphaned or broken in a Docker overlay2 store, changing
/// nothing: unreferenced overlay2 dirs, layerdb entries whose dir is gone, broken or missing
/// l/ links, lower files naming missing links, unfinished -removing deletions. With -Verify it
/// also rebuilds every image layer's tar from its tar-split, as docker save does, and reports
/// each file that differs and each layer whose digest is not its DiffID.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "OverlayStore")]
[OutputType(typeof(StoreFinding))]
[OutputType(typeof(bool))]
public sealed class TestOverlayStoreCommand : DockerStoreCommand
{
    /// <summary>Return only $true (healthy) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Also rebuild each image layer's tar from its tar-split and the diff dir: every
    /// file's CRC-64 and size, missing and extra files, the stream's sha256 against the DiffID.
    /// Reads all layer content (about the speed of sha256sum over it).</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    protected override void EndProcessing()
    {
        var store = OpenStore();
        var findings = store.Check().ToList();
        var checkedWhat = $"{store.Layers.Count} layer dirs, {store.Images.Count} images, {store.Containers.Count} containers";
        if (Verify)
        {
            var bar = new LayerProgressBar(this, $"Verifying the layers of '{store.Root}'");
            try
            {
                Guarded(() => findings.AddRange(StoreLayerTar.VerifyAll(RequireTarSplits(store, "Test-OverlayStore -Verify"), bar, () => Stopping)),
                    e => ErrorRecords.From(e, store.Root, "LayerUnreadable"), terminating: true);
            }
            finally { bar.Complete(); }
            checkedWhat += $", {store.Layers.Count(l => l.Kind == LayerKind.Image)} image layers verified";
        }
        WriteVerbose($"Checked {checkedWhat} in '{store.Root}': {findings.Count} problem(s).");
        if (Quiet)
        {
            WriteObject(findings.Count == 0);
            return;
        }
        // A healthy store answers too, on the information stream as Write-Host does: shown by
        // default, never in the pipeline (`Test-OverlayStore | ...` still gets only findings),
        // silenced with -InformationAction Ignore.
        if (findings.Count == 0)
            WriteInformation(new HostInformationMessage { Message = $"No problems found in '{store.Root}' ({checkedWhat})." },
                new[] { "PSHOST" });
        foreach (var f in findings)
            WriteObject(f);
    }
}
