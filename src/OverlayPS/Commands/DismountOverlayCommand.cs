using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Kernel;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// Dismount-Overlay: umount2 of an overlay's mount point; -Force detaches lazily. Unmounting an
/// overlay this session did not mount with Mount-Overlay is high impact (ConfirmImpact High):
/// `Get-OverlayMount | Dismount-Overlay` on a Docker host would otherwise take every
/// container's root away without a word. -Force or -Confirm:$false goes ahead.
/// </summary>
[Cmdlet(VerbsData.Dismount, "Overlay", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(OverlayMount))]
public sealed class DismountOverlayCommand : GuardedCmdlet
{
    /// <summary>Mount points; Get-OverlayMount output binds through its MountPoint property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("MountPoint")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MountPointCompleter))]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>MNT_DETACH: gone from the namespace now, torn down when no longer busy; and no
    /// question before unmounting an overlay this session did not mount.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write each unmounted overlay (as it was) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var p in Path)
        {
            if (Stopping)
                return;
            string full = p;
            Guarded(() =>
            {
                full = HostPath.Resolve(SessionState, p);
                var mount = OverlayMounter.MountPointAt(full);
                var action = Force ? "Dismount overlay (lazy detach)" : "Dismount overlay";
                bool foreign = !MountsMadeHere.Contains(mount);
                if (!(foreign && !Force ? ShouldProcess(full, action + " not mounted by this session") : ShouldProcessMedium(full, action)))
                    return;
                var gone = OverlayMounter.Dismount(full, Force.IsPresent);
                MountsMadeHere.Remove(gone);
                if (PassThru)
                    WriteObject(gone);
            }, e => ErrorRecords.From(e, full), input: true);
        }
    }

    /// <summary>ShouldProcess as a Medium-impact cmdlet does it (the cmdlet itself is declared
    /// High for foreign mounts): ask or report only under -WhatIf, -Confirm, or a preference
    /// set that low; otherwise go ahead without a prompt.</summary>
    bool ShouldProcessMedium(string target, string action)
    {
        var bound = MyInvocation.BoundParameters;
        bool whatIf = LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
        bool lowConfirm = GetVariableValue("ConfirmPreference") is ConfirmImpact c && c is not ConfirmImpact.None && c <= ConfirmImpact.Medium;
        if (bound.ContainsKey("WhatIf") || bound.ContainsKey("Confirm") || whatIf || lowConfirm)
            return ShouldProcess(target, action);
        return true;
    }
}
