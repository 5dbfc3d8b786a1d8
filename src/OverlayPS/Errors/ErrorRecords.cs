using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Errors;

/// <summary>
/// The one place where Core's typed exceptions become PowerShell ErrorRecords: a stable error
/// id, the category a FileSystem-provider user expects for that errno, and the target path.
/// </summary>
public static class ErrorRecords
{
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
                return new ErrorRecord(e, errorId ?? IdOf(pe.Errno), CategoryOf(pe.Errno), pe.Path ?? target);
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
            case FileNotFoundException or DirectoryNotFoundException:
                return new ErrorRecord(e, errorId ?? "PathNotFound", ErrorCategory.ObjectNotFound, target);
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

    public static ErrorCategory CategoryOf(Errno errno) => errno switch
    {
        Errno.ENOENT or Errno.ENOTDIR => ErrorCategory.ObjectNotFound,
        Errno.EACCES or Errno.EPERM => ErrorCategory.PermissionDenied,
        Errno.EROFS => ErrorCategory.PermissionDenied,
        Errno.EEXIST or Errno.ENOTEMPTY => ErrorCategory.ResourceExists,
        Errno.EINVAL or Errno.ENAMETOOLONG or Errno.ELOOP or Errno.EISDIR => ErrorCategory.InvalidArgument,
        Errno.EXDEV => ErrorCategory.InvalidOperation,
        Errno.EBUSY => ErrorCategory.ResourceBusy,
        Errno.ENOSPC or Errno.EDQUOT => ErrorCategory.WriteError,
        Errno.EOPNOTSUPP or Errno.ENOSYS => ErrorCategory.NotImplemented,
        _ => ErrorCategory.WriteError,
    };

    /// <summary>Stable ids, named for what happened rather than the errno's spelling.</summary>
    public static string IdOf(Errno errno) => errno switch
    {
        Errno.ENOENT => "PathNotFound",
        Errno.ENOTDIR => "NotADirectory",
        Errno.EACCES or Errno.EPERM => "PermissionDenied",
        Errno.EROFS => "ReadOnlyOverlay",
        Errno.EEXIST => "ItemExists",
        Errno.ENOTEMPTY => "DirectoryNotEmpty",
        Errno.EXDEV => "CrossDeviceRename",
        Errno.EISDIR => "IsADirectory",
        Errno.ELOOP => "TooManySymlinks",
        Errno.EBUSY => "ResourceBusy",
        _ => "Errno" + errno,
    };

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
