using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Kernel;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>Get-OverlayMount: the overlay mounts of this mount namespace, or the one holding a path.</summary>
[Cmdlet(VerbsCommon.Get, "OverlayMount", DefaultParameterSetName = "All")]
[OutputType(typeof(OverlayMount))]
public sealed class GetOverlayMountCommand : PSCmdlet
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
            try
            {
                foreach (var m in OverlayMountTable.List())
                    WriteObject(m);
            }
            catch (IOException e)
            {
                WriteError(ErrorRecords.From(e, MountInfo.SelfPath));
            }
            return;
        }
        foreach (var p in Path)
        {
            string full = p;
            try
            {
                full = HostPath.Resolve(SessionState, p);
                var m = OverlayMountTable.Holding(full);
                if (m is not null)
                    WriteObject(m);
                else
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException($"'{full}' is not on an overlay mount."),
                        "NotOnOverlayMount", ErrorCategory.ObjectNotFound, full));
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorRecords.From(e, full));
            }
        }
    }
}
