using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Kernel;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayMount: the overlay mounts of this mount namespace, or the one holding a path.</summary>
[Cmdlet(VerbsCommon.Get, "OverlayMount", DefaultParameterSetName = "All")]
[OutputType(typeof(OverlayMount))]
public sealed class GetOverlayMountCommand : GuardedCmdlet
{
    /// <summary>Any path: answers the overlay mount that holds it.</summary>
    [Parameter(Position = 0, ParameterSetName = "Path", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        if (Path is null)
        {
            Guarded(() =>
            {
                foreach (var m in OverlayMountTable.List())
                    WriteObject(m);
            }, e => ErrorRecords.From(e, MountInfo.SelfPath));
            return;
        }
        foreach (var p in Path)
        {
            string full = p;
            Guarded(() =>
            {
                full = HostPath.Resolve(SessionState, p);
                var m = OverlayMountTable.Holding(full);
                if (m is not null)
                    WriteObject(m);
                else
                    WriteError(ErrorRecords.NotOnOverlayMount(full));
            }, e => ErrorRecords.From(e, full), input: true);
        }
    }
}
