using System.Management.Automation;
using OverlayPS.Core.Docker;

namespace OverlayPS.Commands;

/// <summary>
/// Test-OverlayStore: reports what is orphaned or broken in a Docker overlay2 store, changing
/// nothing: unreferenced overlay2 dirs, layerdb entries whose dir is gone, broken or missing
/// l/ links, lower files naming missing links, unfinished -removing deletions.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "OverlayStore")]
[OutputType(typeof(StoreFinding))]
[OutputType(typeof(bool))]
public sealed class TestOverlayStoreCommand : DockerStoreCommand
{
    /// <summary>Return only $true (healthy) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing()
    {
        var store = OpenStore();
        var findings = store.Check();
        var checkedWhat = $"{store.Layers.Count} layer dirs, {store.Images.Count} images, {store.Containers.Count} containers";
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
