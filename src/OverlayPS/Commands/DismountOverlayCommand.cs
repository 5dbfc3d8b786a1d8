using System.Management.Automation;
using OverlayPS.Core.Kernel;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>Dismount-Overlay: umount2 of an overlay's mount point; -Force detaches lazily.</summary>
[Cmdlet(VerbsData.Dismount, "Overlay", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DismountOverlayCommand : PSCmdlet
{
    /// <summary>Mount points; Get-OverlayMount output binds through its MountPoint property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("MountPoint")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MountPointCompleter))]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>MNT_DETACH: gone from the namespace now, torn down when no longer busy.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var p in Path)
        {
            if (Stopping)
                return;
            string full = p;
            try
            {
                full = HostPath.Resolve(SessionState, p);
                if (!ShouldProcess(full, Force ? "Dismount overlay (lazy detach)" : "Dismount overlay"))
                    continue;
                OverlayMounter.Dismount(full, Force.IsPresent);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.From(e, full));
            }
        }
    }
}
