using System.Management.Automation;

namespace OverlayPS.Errors;

/// <summary>
/// A refusal the drive decides itself, before or instead of an engine call (the FileSystem
/// provider's own checks: a path that must differ, a target that must be a file), carrying the
/// record the error table made for it. Thrown inside a guarded provider call, which writes it.
/// </summary>
public sealed class DriveRefusal(ErrorRecord record) : Exception(record.Exception.Message, record.Exception)
{
    public ErrorRecord Record { get; } = record;
}

/// <summary>Something is already at the path an item is to be created at (checked before the call).</summary>
public sealed class ItemExistsException(string path) : IOException($"'{path}' already exists.");
