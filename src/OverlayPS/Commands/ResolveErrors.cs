using System.Management.Automation;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>Errors met while resolving a cmdlet's -Path, as Get-Item would report them.</summary>
static class ResolveErrors
{
    public static ErrorRecord From(Exception e, string path) => e switch
    {
        ItemNotFoundException => new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path),
        System.Management.Automation.DriveNotFoundException => new ErrorRecord(e, "DriveNotFound", ErrorCategory.ObjectNotFound, path),
        PSArgumentException => new ErrorRecord(e, "UnsupportedProvider", ErrorCategory.InvalidArgument, path),
        _ => ErrorRecords.From(e, path),
    };
}
