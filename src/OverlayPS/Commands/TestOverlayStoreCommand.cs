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
        var findings = StoreCheck.Run(OpenStore());
        if (Quiet)
            WriteObject(findings.Count == 0);
        else
            foreach (var f in findings)
                WriteObject(f);
    }
}
