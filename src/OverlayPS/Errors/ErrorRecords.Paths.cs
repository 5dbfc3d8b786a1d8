using System.Management.Automation;

namespace OverlayPS.Errors;

/// <summary>
/// The rows for paths given to cmdlets (the kernel-mount, layer and artifact cmdlets and
/// Copy-OverlayItem), outside a drive's item operations: a host path that is not one, a path
/// on no overlay mount, a destination inside its own source.
/// </summary>
public static partial class ErrorRecords
{
    /// <summary>A host path .NET refuses before any I/O (a NUL in it).</summary>
    public static ErrorRecord InvalidHostPath(ArgumentException e, string path) =>
        new(e, "InvalidPath", ErrorCategory.InvalidArgument, path);

    /// <summary>Get-OverlayMount -Path of a path no overlay mount holds.</summary>
    public static ErrorRecord NotOnOverlayMount(string fullPath) =>
        new(new ItemNotFoundException($"'{fullPath}' is not on an overlay mount."), "NotOnOverlayMount", ErrorCategory.ObjectNotFound, fullPath);

    /// <summary>Copy-OverlayItem -Recurse of a directory to a destination inside it: refused
    /// before anything is copied, as cp refuses it.</summary>
    public static ErrorRecord CopyIntoItself(string destination) =>
        new(new IOException($"Cannot copy a directory into itself: '{destination}' is inside it."),
            "CopyIntoItself", ErrorCategory.InvalidArgument, destination);
}
