using System.Management.Automation;

namespace OverlayPS.Errors;

/// <summary>
/// The rows for what only a drive says: its parameters (New-PSDrive, a FileSystem-only switch),
/// its item properties, and the removal rules the FileSystem provider enforces with its own
/// wording (hidden and read-only items need -Force), in the categories FileSystem gives them.
/// </summary>
public static partial class ErrorRecords
{
    public static ErrorRecord LowerDirRequired(string driveName) =>
        new(new ArgumentException("An Overlay drive needs -LowerDir: one or more lower directories, topmost first."),
            "LowerDirRequired", ErrorCategory.InvalidArgument, driveName);

    /// <summary>A dynamic parameter of the FileSystem provider that the drive does not offer.</summary>
    public static ErrorRecord ParameterNotOffered(PSArgumentException e) =>
        new(e, "ParameterNotOfferedOnOverlay", ErrorCategory.InvalidArgument, e.ParamName);

    /// <summary>Get-ItemProperty of a name no Overlay item has.</summary>
    public static ErrorRecord PropertyNotFound(string name) =>
        new(new PSArgumentException($"The property '{name}' does not exist on an Overlay item; see Get-Item | Get-Member."),
            "PropertyNotFound", ErrorCategory.ObjectNotFound, name);

    /// <summary>Set-ItemProperty IsReadOnly of a directory: a DirectoryInfo has no IsReadOnly,
    /// and FileSystem reports it as a ReadError.</summary>
    public static ErrorRecord PropertyNotOnDirectory(string name) =>
        new(new PSArgumentException($"The property '{name}' does not exist on a directory; use Attributes (ReadOnly) or Mode."),
            "PropertyNotFound", ErrorCategory.ReadError, name);

    public static ErrorRecord PropertyNotSettable(string name, IEnumerable<string> settable) =>
        new(new PSArgumentException($"The property '{name}' cannot be set on an Overlay item; settable: {string.Join(", ", settable)}."),
            "PropertyNotSettable", ErrorCategory.InvalidArgument, name);

    public static ErrorRecord InvalidPropertyValue(Exception e, object? value) =>
        new(e, "InvalidPropertyValue", ErrorCategory.InvalidArgument, value);

    public static ErrorRecord ClearPropertyNotSupported(string psPath) =>
        new(new NotSupportedException("Overlay items have no property that can be cleared; use Set-ItemProperty to change mode, owner, group or times."),
            "ClearPropertyNotSupported", ErrorCategory.NotImplemented, psPath);

    /// <summary>Get-Content's own check, before anything is read.</summary>
    public static ErrorRecord RawAndDelimiter(string psPath) =>
        new(new PSInvalidOperationException("The 'Raw' and 'Delimiter' parameters cannot be specified in the same command."),
            "GetContentReaderRawAndDelimiter", ErrorCategory.InvalidOperation, psPath);

    /// <summary>Get-Content of a directory, in FileSystem's words.</summary>
    public static ErrorRecord ReadFromDirectory(string psPath) =>
        new(new InvalidOperationException($"Unable to get content because it is a directory: '{psPath}'. Please use 'Get-ChildItem' instead."),
            "GetContainerContentException", ErrorCategory.InvalidOperation, psPath);

    /// <summary>Clear-Content of a directory, in FileSystem's words.</summary>
    public static ErrorRecord ClearDirectory(string psPath) =>
        new(new InvalidOperationException($"Unable to clear content of '{psPath}' because it is a directory. Clear-Content is only supported on files."),
            "ClearDirectoryContent", ErrorCategory.InvalidOperation, psPath);

    public static ErrorRecord UnknownItemType(string itemTypeName, IEnumerable<string> itemTypes) =>
        new(new ArgumentException($"The item type '{itemTypeName}' is not supported on an Overlay drive; use {string.Join(", ", itemTypes)}."),
            "UnknownItemType", ErrorCategory.InvalidArgument, itemTypeName);

    /// <summary>A hard link to another drive: link(2) across mounts is EXDEV, whose generic
    /// text speaks of renames.</summary>
    public static ErrorRecord CrossDriveHardLink(string psPath, string target) =>
        new(new IOException($"Cannot create the hard link {psPath}: its target '{target}' is on another drive, and a hard link stays on one (Invalid cross-device link)."),
            "CrossDeviceLink", ErrorCategory.InvalidArgument, psPath);

    /// <summary>FileSystem removes hidden items (dot-names) only with -Force.</summary>
    public static ErrorRecord HiddenItemNeedsForce(string psPath) =>
        new(new UnauthorizedAccessException($"Cannot remove '{psPath}': it is hidden (its name starts with a dot); use -Force, as on the FileSystem provider."),
            "HiddenItemNeedsForce", ErrorCategory.PermissionDenied, psPath);

    /// <summary>...and read-only ones only with -Force.</summary>
    public static ErrorRecord ReadOnlyItemNeedsForce(string psPath, string mode) =>
        new(new UnauthorizedAccessException($"Cannot remove '{psPath}': it is read-only ({mode}); use -Force, as on the FileSystem provider."),
            "ReadOnlyItemNeedsForce", ErrorCategory.PermissionDenied, psPath);
}
