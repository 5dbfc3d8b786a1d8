using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Errors;

/// <summary>
/// The one error table of the PowerShell layer: Core's typed exceptions, errnos and the drive's
/// own refusals become ErrorRecords here and nowhere else, each with a stable id, a category and
/// the target path. Two columns for an errno (see <see cref="Row"/>): item and content
/// operations on a drive report what the FileSystem provider reports for the same operation on
/// a kernel mount (what .NET's errno-to-exception mapping gives it; the cmdlet differential
/// harness checks them), the other cmdlets (mounts, stores) the errno's own category.
/// </summary>
public static partial class ErrorRecords
{
    /// <summary>A cmdlet's failure (mounts, stores, layers, Copy-OverlayItem's resolving).</summary>
    public static ErrorRecord From(Exception e, object? target, string? errorId = null)
    {
        switch (e)
        {
            case LayerStackException ls:
                return new ErrorRecord(e, errorId ?? $"LayerStack{ls.Problem}",
                    CategoryOf(ls.Problem), ls.Directory ?? target);
            case OverlayMountRequestException mr:
                return new ErrorRecord(e, errorId ?? $"Overlay{mr.Problem}", CategoryOf(mr.Problem), mr.Target ?? target);
            case OverlayPS.Core.Archive.LayerImportException li:
                return new ErrorRecord(e, errorId ?? $"LayerImport{li.Problem}", CategoryOf(li.Problem), li.Entry.Length > 0 ? li.Entry : target);
            case PosixException pe:
                return new ErrorRecord(e, errorId ?? Row(pe.Errno).Id, Row(pe.Errno).CmdletCategory, pe.Path ?? target);
            case OverlayPS.Core.Artifacts.ArtifactExistsException ae:
                return new ErrorRecord(e, errorId ?? "DestinationExists", ErrorCategory.ResourceExists, ae.Path);
            case OverlayPS.Core.Artifacts.LayerVerificationException lv:
                // The layer's files are not what its tar-split recorded: its tar would not be docker's.
                return new ErrorRecord(e, errorId ?? "LayerNotVerified", ErrorCategory.InvalidData, lv.Verification.Layer.DiffId ?? target);
            case UnsafeStoreException us:
                // A store that points outside itself: its data is wrong, nothing was read.
                return new ErrorRecord(e, errorId ?? $"Store{us.Problem}", ErrorCategory.InvalidData, us.Path);
            case UnauthorizedAccessException:
                return new ErrorRecord(e, errorId ?? "PermissionDenied", ErrorCategory.PermissionDenied, target);
            case InvalidDataException:
                // A Docker store missing (or refusing) what an image or container needs.
                return new ErrorRecord(e, errorId ?? "StoreDataInvalid", ErrorCategory.InvalidData, target);
            case FileNotFoundException or DirectoryNotFoundException or ItemNotFoundException:
                return new ErrorRecord(e, errorId ?? "PathNotFound", ErrorCategory.ObjectNotFound, target);
            case System.Management.Automation.DriveNotFoundException:
                // A path given to a cmdlet on a drive that does not exist ("nosuch:/x").
                return new ErrorRecord(e, errorId ?? "DriveNotFound", ErrorCategory.ObjectNotFound, target);
            case ArgumentException:
                return new ErrorRecord(e, errorId ?? "InvalidArgument", ErrorCategory.InvalidArgument, target);
            case InvalidOperationException:
                return new ErrorRecord(e, errorId ?? "InvalidOperation", ErrorCategory.InvalidOperation, target);
            case NotSupportedException:
                return new ErrorRecord(e, errorId ?? "NotSupported", ErrorCategory.NotImplemented, target);
            case IOException:
                return new ErrorRecord(e, errorId ?? "IOError", ErrorCategory.WriteError, target);
            default:
                return new ErrorRecord(e, errorId ?? "OverlayError", ErrorCategory.NotSpecified, target);
        }
    }

    /// <summary>An item or content operation's failure on a drive, named by the PS path.</summary>
    public static ErrorRecord ForItem(Exception e, string psPath, string operation, bool isRead = false) => e switch
    {
        // Clear-Content asks first whether the item exists, so a name not found when it clears
        // is a dangling link: FileSystem's open for truncation fails with .NET's
        // FileNotFoundException, which it catches as an IOException (WriteError).
        PosixException { Errno: Errno.ENOENT or Errno.ENOTDIR } when operation == "ClearContent" => ClearThroughDanglingLink(psPath, e),
        PosixException pe => ForErrno(pe.Errno, psPath, operation, isRead, pe),
        ItemExistsException => new ErrorRecord(new IOException($"An item with the specified name {psPath} already exists.", e), "ItemExists", ErrorCategory.ResourceExists, psPath),
        ItemNotFoundException => new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, psPath),
        System.IO.DriveNotFoundException => new ErrorRecord(e, "DriveNotFound", ErrorCategory.ObjectNotFound, psPath),
        FileNotFoundException or DirectoryNotFoundException => new ErrorRecord(new ItemNotFoundException(NotFoundMessage(psPath), e), "PathNotFound", ErrorCategory.ObjectNotFound, psPath),
        UnauthorizedAccessException => new ErrorRecord(e, "PermissionDenied", ErrorCategory.PermissionDenied, psPath),
        ArgumentException => new ErrorRecord(e, operation + "Argument", ErrorCategory.InvalidArgument, psPath),
        IOException => new ErrorRecord(e, operation + "IOError", isRead ? ErrorCategory.ReadError : ErrorCategory.WriteError, psPath),
        _ => From(e, psPath),
    };

    /// <summary>Errors met while resolving a path given to a cmdlet, as Get-Item would report
    /// them (a missing item or drive). A path on a provider the parameter does not take is
    /// <paramref name="otherProviderId"/>: a host path (-Store, -Destination) names what it is,
    /// e.g. DestinationNotOnFileSystem.</summary>
    public static ErrorRecord ForResolve(Exception e, string path, string otherProviderId = "UnsupportedProvider") => e is PSArgumentException
        ? new ErrorRecord(e, otherProviderId, ErrorCategory.InvalidArgument, path)
        : From(e, path);

    public static string NotFoundMessage(string psPath) =>
        $"Cannot find path '{psPath}' because it does not exist.";

    static ErrorCategory CategoryOf(LayerStackProblem p) => p switch
    {
        LayerStackProblem.Missing => ErrorCategory.ObjectNotFound,
        LayerStackProblem.Unreadable => ErrorCategory.PermissionDenied,
        LayerStackProblem.UsedTwice or LayerStackProblem.Nested => ErrorCategory.InvalidArgument,
        LayerStackProblem.WorkNotEmpty => ErrorCategory.ResourceExists,
        LayerStackProblem.TooManyLayers => ErrorCategory.LimitsExceeded,
        _ => ErrorCategory.InvalidArgument,
    };

    static ErrorCategory CategoryOf(OverlayPS.Core.Archive.LayerImportProblem p) => p switch
    {
        OverlayPS.Core.Archive.LayerImportProblem.DeviceNeedsRoot => ErrorCategory.PermissionDenied,
        OverlayPS.Core.Archive.LayerImportProblem.TargetExists => ErrorCategory.ResourceExists,
        OverlayPS.Core.Archive.LayerImportProblem.UnsupportedEntry => ErrorCategory.NotImplemented,
        OverlayPS.Core.Archive.LayerImportProblem.MalformedTar => ErrorCategory.InvalidData,
        _ => ErrorCategory.SecurityError,       // a tar-slip: the entry tried to leave the layer or forge it
    };

    static ErrorCategory CategoryOf(OverlayMountProblem p) => p switch
    {
        OverlayMountProblem.MountPointMissing => ErrorCategory.ObjectNotFound,
        OverlayMountProblem.NotPrivileged => ErrorCategory.PermissionDenied,
        OverlayMountProblem.UserNamespaceNeedsUserXattr => ErrorCategory.PermissionDenied,
        _ => ErrorCategory.InvalidArgument,
    };
}
