using System.Management.Automation;

namespace OverlayPS.Errors;

/// <summary>
/// The rows for the FileSystem provider's own checks, which the drive makes too (before or
/// instead of an engine call): the same wording and category as FileSystemProvider over a
/// kernel mount, each checked by the cmdlet differential harness (Differential/Cmdlets).
/// </summary>
public static partial class ErrorRecords
{
    /// <summary>Something is at the path already (CreateDirectory's DirectoryExist, a move or
    /// copy of a directory onto an item, New-Item onto a directory or link).</summary>
    public static ErrorRecord AlreadyExists(string psPath, string id) =>
        new(new IOException($"An item with the specified name {psPath} already exists."), id, ErrorCategory.ResourceExists, psPath);

    /// <summary>.NET's File.Move refusing a name that is taken (an IOException: WriteError).</summary>
    public static ErrorRecord FileAlreadyExists(string psPath, string id) =>
        new(new IOException($"The file '{psPath}' already exists."), id, ErrorCategory.WriteError, psPath);

    /// <summary>A copy whose source and destination are one file.</summary>
    public static ErrorRecord CopyOntoItself(string psPath) =>
        new(new IOException($"Cannot overwrite the item {psPath} with itself."), "CopyError", ErrorCategory.WriteError, psPath);

    /// <summary>Rename-Item to the name it has: Directory.Move refuses; File.Move, where
    /// rename(2) is refused (a read-only overlay), falls back to link(2), which finds the name.</summary>
    public static ErrorRecord RenameToItself(string psPath, bool isDirectory) =>
        new(new IOException(isDirectory ? "Source and destination path must be different." : $"The file '{psPath}' already exists."),
            "RenameToItself", ErrorCategory.WriteError, psPath);

    /// <summary>A name longer than the layers hold (ENAMETOOLONG), met by FileSystem's own
    /// existence check (ItemExists, which Get-Item, Get-Content, Test-Path and New-Item
    /// -ItemType Directory all pass through): .NET's PathTooLongException, InvalidArgument there.</summary>
    public static ErrorRecord NameTooLongAtExistenceCheck(string psPath) =>
        new(TooLong(psPath), "ItemExistsPathTooLongError", ErrorCategory.InvalidArgument, psPath);

    /// <summary>New-Item of a link whose name is too long: FileSystem's NewItem catches .NET's
    /// PathTooLongException with the access errors of a link (AccessException).</summary>
    public static ErrorRecord LinkNameTooLong(string psPath, Exception? cause = null) =>
        new(TooLong(psPath, cause), "AccessException", ErrorCategory.PermissionDenied, psPath);

    static PathTooLongException TooLong(string psPath, Exception? cause = null) =>
        new($"The path '{psPath}' is too long, or a component of the specified path is too long.", cause);

    /// <summary>A name that exists but is not shown (a dot-file without -Force).</summary>
    public static ErrorRecord ItemNotFound(string psPath, string id = "ItemNotFound") =>
        new(new ItemNotFoundException($"Could not find item {psPath}."), id, ErrorCategory.ObjectNotFound, psPath);

    public static ErrorRecord HardLinkTargetNotAFile(string target) =>
        new(new InvalidOperationException($"A file is required for the operation. The item '{target}' is not a file."),
            "HardLinkTargetNotAFile", ErrorCategory.InvalidOperation, target);

    public static ErrorRecord HardLinkToItself(string psPath) =>
        new(new InvalidOperationException("The target and path cannot be the same."), "HardLinkToItself", ErrorCategory.InvalidOperation, psPath);

    /// <summary>Set-Content/Add-Content of a directory.</summary>
    public static ErrorRecord WriteToDirectory(string psPath) =>
        new(new InvalidOperationException($"Unable to write content because it is a directory: '{psPath}'."),
            "IsADirectory", ErrorCategory.InvalidOperation, psPath);

    /// <summary>New-Item -Force of a link over a directory that is not empty: Directory.Delete's
    /// error, then the same exception again without a category, as FileSystem writes both.</summary>
    public static IEnumerable<ErrorRecord> LinkOverFullDirectory(string psPath, Exception cause) => new[]
    {
        new ErrorRecord(new IOException($"Directory not empty : '{psPath}'", cause), "NewItemIOError", ErrorCategory.WriteError, psPath),
        new ErrorRecord(new IOException("Directory not empty", cause), "NewItemDirectoryNotEmpty", ErrorCategory.NotSpecified, psPath),
    };

    /// <summary>Clear-Content of a link whose target is missing: .NET's "Could not find file",
    /// which FileSystem's ClearContent catches as an IOException.</summary>
    public static ErrorRecord ClearThroughDanglingLink(string psPath, Exception cause) =>
        new(new IOException($"Could not find file '{psPath}'.", cause), "ClearContentIOError", ErrorCategory.WriteError, psPath);

    /// <summary>New-Item -Force of a link where the item in the way cannot be removed (a
    /// read-only drive): FileSystem writes the removal's error, then tries the link anyway, and
    /// its failure (the name is still taken) comes back as an exception without a category.</summary>
    public static IEnumerable<ErrorRecord> LinkOverItemNotRemoved(string psPath, Exception cause) => new[]
    {
        new ErrorRecord(new IOException($"{(cause is OverlayPS.Core.Posix.PosixException p ? OverlayPS.Core.Posix.PosixException.StrError(p.Errno) : cause.Message)} : '{psPath}'", cause), "NewItemDeleteIOError", ErrorCategory.WriteError, psPath),
        new ErrorRecord(new IOException($"The link {psPath} was not made: the item there could not be removed.", cause), "NewItemLinkNotMade", ErrorCategory.NotSpecified, psPath),
    };
}
