using System.Management.Automation;
using OverlayPS.Core.Posix;

namespace OverlayPS.Errors;

/// <summary>
/// Errors of the Overlay provider's item and content operations, shaped like the FileSystem
/// provider's over a kernel mount: the category .NET's errno mapping gives there
/// (ENOENT -> ObjectNotFound, EACCES/EPERM -> PermissionDenied, any other I/O failure ->
/// WriteError, or ReadError for reads), a stable id named for what happened, the PS path as
/// target, and a message that names the overlay's own cases plainly.
/// </summary>
public static class ProviderErrors
{
    public static ErrorRecord From(Exception e, string psPath, string operation, bool isRead = false)
    {
        if (e is PosixException pe)
            return FromErrno(pe, psPath, operation, isRead);
        if (e is ItemNotFoundException)
            return new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, psPath);
        if (e is System.IO.DriveNotFoundException)
            return new ErrorRecord(e, "DriveNotFound", ErrorCategory.ObjectNotFound, psPath);
        if (e is FileNotFoundException or DirectoryNotFoundException)
            return new ErrorRecord(new ItemNotFoundException(NotFoundMessage(psPath), e), "PathNotFound", ErrorCategory.ObjectNotFound, psPath);
        if (e is UnauthorizedAccessException)
            return new ErrorRecord(e, "PermissionDenied", ErrorCategory.PermissionDenied, psPath);
        if (e is IOException)
            return new ErrorRecord(e, operation + "IOError", isRead ? ErrorCategory.ReadError : ErrorCategory.WriteError, psPath);
        return ErrorRecords.From(e, psPath);
    }

    public static string NotFoundMessage(string psPath) =>
        $"Cannot find path '{psPath}' because it does not exist.";

    static ErrorRecord FromErrno(PosixException pe, string psPath, string operation, bool isRead)
    {
        var errno = pe.Errno;
        var id = ErrorRecords.IdOf(errno);
        Exception shown = errno switch
        {
            Errno.ENOENT or Errno.ENOTDIR => new ItemNotFoundException(NotFoundMessage(psPath), pe),
            Errno.EACCES or Errno.EPERM => new UnauthorizedAccessException(
                $"Access to the path '{psPath}' is denied.", pe),
            Errno.EROFS => new IOException(
                $"Cannot {Verb(operation)} '{psPath}': the Overlay drive is read-only (it has no upper directory, -UpperDir).", pe),
            Errno.EXDEV => new IOException(
                $"Cannot rename '{psPath}': it is a directory with content in a lower layer, and overlayfs does not rename such a directory (redirect_dir=off: Invalid cross-device link). Move-Item moves it by copying the tree.", pe),
            Errno.EEXIST => new IOException($"An item with the specified name {psPath} already exists.", pe),
            Errno.ENOTEMPTY => new IOException($"The directory '{psPath}' is not empty.", pe),
            Errno.EISDIR => new IOException($"'{psPath}' is a directory.", pe),
            _ => new IOException($"Cannot {Verb(operation)} '{psPath}': {PosixException.StrError(errno)}.", pe),
        };
        var category = errno switch
        {
            // Where the FileSystem provider catches .NET's FileNotFound/DirectoryNotFound as an
            // IOException (a copy meeting a dangling link, New-Item under a missing directory).
            Errno.ENOENT or Errno.ENOTDIR when operation is "CopyItem" or "MoveItem" or "NewItem" => ErrorCategory.WriteError,
            Errno.ENOENT or Errno.ENOTDIR => ErrorCategory.ObjectNotFound,
            Errno.EACCES or Errno.EPERM => ErrorCategory.PermissionDenied,
            _ => isRead ? ErrorCategory.ReadError : ErrorCategory.WriteError,
        };
        return new ErrorRecord(shown, id, category, psPath);
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
