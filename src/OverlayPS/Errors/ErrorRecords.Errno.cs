using System.Management.Automation;
using OverlayPS.Core.Posix;

namespace OverlayPS.Errors;

/// <summary>The errno rows of the table, and the messages that name the overlay's own cases.</summary>
public static partial class ErrorRecords
{
    /// <summary>One errno: its stable id (named for what happened, not the errno's spelling)
    /// and the category other cmdlets report (item operations: <see cref="ItemCategory"/>).</summary>
    public readonly record struct ErrnoRow(string Id, ErrorCategory CmdletCategory);

    public static ErrnoRow Row(Errno errno) => errno switch
    {
        Errno.ENOENT => new("PathNotFound", ErrorCategory.ObjectNotFound),
        Errno.ENOTDIR => new("NotADirectory", ErrorCategory.ObjectNotFound),
        Errno.EACCES or Errno.EPERM => new("PermissionDenied", ErrorCategory.PermissionDenied),
        Errno.EROFS => new("ReadOnlyOverlay", ErrorCategory.PermissionDenied),
        Errno.EEXIST => new("ItemExists", ErrorCategory.ResourceExists),
        Errno.ENOTEMPTY => new("DirectoryNotEmpty", ErrorCategory.ResourceExists),
        Errno.EXDEV => new("CrossDeviceRename", ErrorCategory.InvalidOperation),
        Errno.EISDIR => new("IsADirectory", ErrorCategory.InvalidArgument),
        Errno.ELOOP => new("TooManySymlinks", ErrorCategory.InvalidArgument),
        Errno.EINVAL or Errno.ENAMETOOLONG => new("Errno" + errno, ErrorCategory.InvalidArgument),
        Errno.EBUSY => new("ResourceBusy", ErrorCategory.ResourceBusy),
        Errno.EOPNOTSUPP or Errno.ENOSYS => new("Errno" + errno, ErrorCategory.NotImplemented),
        _ => new("Errno" + errno, ErrorCategory.WriteError),
    };

    /// <summary>
    /// The category of an errno met by an item or content operation: what the FileSystem
    /// provider reports there. .NET turns ENOENT/ENOTDIR into FileNotFound (ObjectNotFound,
    /// but a WriteError where the FileSystem provider catches it as an IOException: a copy
    /// meeting a dangling link, New-Item under a missing directory), EACCES/EPERM into
    /// UnauthorizedAccess, EISDIR on opening for writing into UnauthorizedAccess too (a copy
    /// onto a directory), ENAMETOOLONG into PathTooLong (an IOException but for the content
    /// writer, which FileSystem catches apart: InvalidArgument), and everything else into
    /// IOException (WriteError, ReadError for reads).
    /// </summary>
    public static ErrorCategory ItemCategory(Errno errno, string operation, bool isRead) => errno switch
    {
        Errno.ENOENT or Errno.ENOTDIR when operation is "CopyItem" or "MoveItem" or "NewItem" => ErrorCategory.WriteError,
        Errno.ENOENT or Errno.ENOTDIR => ErrorCategory.ObjectNotFound,
        Errno.EACCES or Errno.EPERM => ErrorCategory.PermissionDenied,
        Errno.EISDIR when operation is "CopyItem" or "MoveItem" or "NewItem" => ErrorCategory.PermissionDenied,
        // FileSystem's content writer catches .NET's PathTooLongException apart (GetContentWriterPathTooLongError).
        Errno.ENAMETOOLONG when operation is "GetContentWriter" => ErrorCategory.InvalidArgument,
        _ => isRead ? ErrorCategory.ReadError : ErrorCategory.WriteError,
    };

    /// <summary>An errno met (or a refusal decided) by an item or content operation.</summary>
    public static ErrorRecord ForErrno(Errno errno, string psPath, string operation, bool isRead = false, Exception? cause = null)
    {
        Exception shown = errno switch
        {
            Errno.ENOENT or Errno.ENOTDIR => new ItemNotFoundException(NotFoundMessage(psPath), cause),
            Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException($"Access to the path '{psPath}' is denied.", cause),
            Errno.EROFS => new IOException(
                $"Cannot {Verb(operation)} '{psPath}': the Overlay drive is read-only (it has no upper directory, -UpperDir).", cause),
            Errno.EXDEV => new IOException(
                $"Cannot rename '{psPath}': it is a directory with content in a lower layer, and overlayfs does not rename such a directory (redirect_dir=off: Invalid cross-device link). Move-Item moves it file by file.", cause),
            Errno.EEXIST => new IOException($"An item with the specified name {psPath} already exists.", cause),
            Errno.ENOTEMPTY => new IOException($"The directory '{psPath}' is not empty.", cause),
            Errno.EISDIR => new IOException($"'{psPath}' is a directory.", cause),
            _ => new IOException($"Cannot {Verb(operation)} '{psPath}': {PosixException.StrError(errno)}.", cause),
        };
        return new ErrorRecord(shown, Row(errno).Id, ItemCategory(errno, operation, isRead), psPath);
    }

    /// <summary>What the operation does, as a message says it ("Cannot create 'x': ..."); an
    /// unknown name spelled out ("SomeOp" -> "some op").</summary>
    static string Verb(string operation) => operation switch
    {
        "NewItem" => "create",
        "GetContentWriter" or "SetContent" => "write to",
        "GetContentReader" or "GetContent" => "read",
        "ClearContent" => "clear the content of",
        "GetChildItems" or "GetChildNames" => "list",
        "GetProperty" => "read the properties of",
        "SetProperty" => "set the properties of",
        "CopyItem" => "copy",
        "MoveItem" => "move",
        "RenameItem" => "rename",
        "RemoveItem" => "remove",
        "SetItem" => "set",
        "ClearItem" => "clear",
        "GetItem" => "get",
        _ => string.Concat(operation.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };
}
