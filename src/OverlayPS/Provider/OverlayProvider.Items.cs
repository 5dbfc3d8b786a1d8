using System.Collections;
using System.Management.Automation;
using System.Text;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>
/// Single items: Get-Item, New-Item, Rename-Item, Set-Item and Clear-Item
/// (Remove-Item has its own file). Each is
/// one engine call (copy-up and whiteouts are the engine's), ShouldProcess first, and a failure
/// becomes one ErrorRecord for that item.
/// </summary>
public sealed partial class OverlayProvider
{
    protected override void GetItem(string path)
    {
        Guarded(path, "GetItem", () =>
        {
            var (drive, union) = Locate(path);
            var e = drive.Union.Stat(union);
            // Get-ChildItem of a file comes here too, with its -Hidden.
            var hidden = Bound<OverlayChildItemParameters>()?.Hidden.IsPresent ?? false;
            if (HiddenWithoutForce(e.Name, union, path, Force || hidden))
                return;
            WriteEntry(drive, e, e.IsDirectory || ContainerEntry(drive.Union, union) is not null);
        }, isRead: true);
    }

    /// <summary>
    /// A dot-file named outright is still hidden: Get-Item (and Get-ChildItem of that file)
    /// find nothing without -Force, with the FileSystem provider's error, as on a kernel mount
    /// (FileSystemProvider.GetItem skips hidden items unless -Force).
    /// </summary>
    bool HiddenWithoutForce(string name, string union, string path, bool shown)
    {
        if (shown || union == "/" || !IsHidden(name))
            return false;
        WriteError(ErrorRecords.ItemNotFound(path));
        return true;
    }

    /// <summary>Item types New-Item takes, as the FileSystem provider spells them.</summary>
    static readonly string[] ItemTypes = { "File", "Directory", "SymbolicLink", "HardLink" };

    protected override void NewItem(string path, string itemTypeName, object newItemValue)
    {
        var type = string.IsNullOrEmpty(itemTypeName) ? "File"
            : ItemTypes.FirstOrDefault(t => t.StartsWith(itemTypeName, StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            WriteError(ErrorRecords.UnknownItemType(itemTypeName, ItemTypes));
            return;
        }
        Guarded(path, "NewItem", () =>
        {
            var (drive, union) = Locate(path);
            var fs = drive.Union;
            if (!ShouldProcess($"Destination: {path}", $"Create {type}"))
                return;
            if (Force && ParentNameTooLong(drive, union))
            {
                // FileSystem's NewItem -Force checks that the parent exists first, and that check
                // reports a name too long; then a directory is passed over in silence (-Force), a
                // file fails to open, a link as access denied.
                if (type == "Directory")
                    return;
                if (type == "File")
                    throw Refuse(Errno.ENAMETOOLONG, path, "NewItem");
                throw new DriveRefusal(ErrorRecords.LinkNameTooLong(path));
            }
            // -Force makes the missing directories of a link first, as FileSystem's NewItem
            // does before anything else (a file makes them below, a directory always).
            if (Force && type is ("SymbolicLink" or "HardLink"))
                MakeParents(fs, union);
            var existing = fs.Lookup(union);
            switch (type)
            {
                case "Directory":
                    NewDirectory(drive, union, existing);
                    return;
                case "File":
                    if (existing is not null && Force && ContainerEntry(fs, union) is not null)
                        // .NET opens a directory for writing with EISDIR, which it reports as
                        // access denied: so does the FileSystem provider.
                        throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                    if (existing is not null && !Force)
                        throw Refuse(Errno.EEXIST, path, "NewItem"); // File.Open(CreateNew): O_EXCL, a directory too
                    if (Force)
                        MakeParents(fs, union);
                    using (var s = fs.OpenWrite(union, FileMode.Create, 0x1B6))
                        WriteValue(s, newItemValue);
                    break;
                case "SymbolicLink":
                    var target = ValueText(newItemValue) ?? throw new ArgumentException("A symbolic link needs -Value (or -Target): the path it points to.");
                    if (existing is not null && !ReplacedForLink(drive, union, existing, path))
                        return;
                    LinkNamed(path, () => fs.Symlink(target.Replace('\\', '/'), union));
                    break;
                case "HardLink":
                    var linkTo = ValueText(newItemValue) ?? throw new ArgumentException("A hard link needs -Value (or -Target): an existing file on the same drive.");
                    var (targetDrive, targetUnion) = LocateTarget(linkTo, drive, union);
                    if (targetDrive != drive)
                    {
                        throw new DriveRefusal(ErrorRecords.CrossDriveHardLink(path, linkTo));
                    }
                    // The target is checked before anything at the link's path is replaced, as
                    // the FileSystem provider does: missing (a dangling link is there: it is
                    // what link(2) links), then a directory. Other failures to reach it (a
                    // loop) are link(2)'s own.
                    var linked = fs.Lookup(targetUnion);
                    if (Force && linked is not null && targetUnion == union)
                    {
                        // -Force would remove the name before linking it: FileSystem refuses.
                        WriteError(ErrorRecords.HardLinkToItself(path));
                        return;
                    }
                    if (linked is null && existing is not null)
                    {
                        WriteError(ErrorRecords.ItemNotFound(linkTo, "HardLinkTargetNotFound"));
                        return;
                    }
                    if (linked is not null && ContainerEntry(fs, targetUnion) is not null)
                    {
                        WriteError(ErrorRecords.HardLinkTargetNotAFile(linkTo));
                        return;
                    }
                    if (existing is not null && !ReplacedForLink(drive, union, existing, path))
                        return;
                    try { LinkNamed(path, () => fs.Link(targetUnion, union)); }
                    catch (PosixException x) when (x.Errno == Errno.ENOENT && linked is null)
                    {
                        WriteError(ErrorRecords.ItemNotFound(linkTo, "HardLinkTargetNotFound"));
                        return;
                    }
                    break;
            }
            WriteCreated(drive, union);
        }, arguments: true);
    }

    /// <summary>The parent of <paramref name="union"/> cannot be looked up for a name too long
    /// (a component over 255 bytes, or the path over PATH_MAX): written as FileSystem's
    /// existence check of the parent writes it.</summary>
    bool ParentNameTooLong(OverlayDriveInfo drive, string union)
    {
        if (OverlayPath.UnionParent(union) is not { } parent || drive.Union.Lookup(parent, out var why) is not null
            || why != Errno.ENAMETOOLONG)
            return false;
        WriteError(ErrorRecords.NameTooLongAtExistenceCheck(PsPath(drive, parent)));
        return true;
    }

    /// <summary>Makes a link; a name too long is refused as FileSystem's NewItem reports it for a
    /// link (.NET's PathTooLongException caught with access errors: PermissionDenied).</summary>
    static void LinkNamed(string path, Action make)
    {
        try { make(); }
        catch (PosixException e) when (e.Errno == Errno.ENAMETOOLONG)
        {
            throw new DriveRefusal(ErrorRecords.LinkNameTooLong(path, e));
        }
    }

    /// <summary>
    /// What is at a new link's path goes first, with -Force only (else ResourceExists): a file
    /// is unlinked; a directory is removed only when empty, as the FileSystem provider's
    /// Directory.Delete does. When the removal fails (not empty, a read-only drive) FileSystem
    /// writes that error and tries the link anyway, which fails on the name still there: a
    /// second error, without a category.
    /// </summary>
    bool ReplacedForLink(OverlayDriveInfo drive, string union, UnionEntry existing, string path)
    {
        if (!Force)
            throw new ItemExistsException(union);
        try
        {
            if (existing.IsDirectory)
                drive.Union.Rmdir(union);
            else
                drive.Union.Unlink(union);
            return true;
        }
        catch (PosixException e) when (e.Errno is not (Errno.ENOENT or Errno.ENOTDIR))
        {
            var records = e.Errno == Errno.ENOTEMPTY
                ? ErrorRecords.LinkOverFullDirectory(path, e)
                : ErrorRecords.LinkOverItemNotRemoved(path, e);
            foreach (var record in records)
                WriteError(record);
            return false;
        }
    }

    /// <summary>New-Item -ItemType Directory, as FileSystemProvider.CreateDirectory: an item
    /// already there is ResourceExists without -Force; with -Force an existing directory (or a
    /// link to one) is written out, and a failure other than access denied (the name is a file,
    /// the drive is read-only) is passed over in silence, as .NET's IOException is there (a name
    /// too long too: without -Force FileSystem's existence check reports it, InvalidArgument).</summary>
    void NewDirectory(OverlayDriveInfo drive, string union, UnionEntry? existing)
    {
        var fs = drive.Union;
        if (existing is not null && !Force)
            throw new ItemExistsException(union);
        try
        {
            if (existing is null)
            {
                // New-Item -ItemType Directory makes the missing parents, as CreateDirectory does.
                MakeParents(fs, union);
                fs.Mkdir(union, 0x1FF);
            }
            else if (ContainerEntry(fs, union) is null)
                return; // -Force over a file: .NET's IOException, passed over
            WriteCreated(drive, union);
        }
        catch (PosixException e) when (e.Errno == Errno.ENAMETOOLONG && !Force)
        {
            throw new DriveRefusal(ErrorRecords.NameTooLongAtExistenceCheck(PsPath(drive, union)));
        }
        catch (PosixException e) when (Force && e.Errno is not (Errno.EACCES or Errno.EPERM))
        {
        }
    }

    /// <summary>The item New-Item made; a link to a directory is a container, as on FileSystem.</summary>
    void WriteCreated(OverlayDriveInfo drive, string union)
    {
        var created = drive.Union.Stat(union);
        WriteEntry(drive, created, created.IsDirectory || ContainerEntry(drive.Union, union) is not null);
    }

    /// <summary>A link target given as a drive path, a path relative to the link's directory,
    /// or a union path.</summary>
    (OverlayDriveInfo Drive, string Union) LocateTarget(string target, OverlayDriveInfo drive, string linkUnion)
    {
        var t = target.Replace('\\', '/');
        if (t.Contains(':'))
            return Locate(t);
        if (t.StartsWith('/'))
            return (drive, OverlayPath.ToUnion(t, out _));
        var dir = OverlayPath.UnionParent(linkUnion) ?? "/";
        return (drive, OverlayPath.ToUnion(OverlayPath.UnionChild(dir, t), out _));
    }

    static void MakeParents(IUnionFileSystem fs, string union)
    {
        var parent = OverlayPath.UnionParent(union);
        if (parent is null || fs.Lookup(parent) is not null)
            return;
        MakeParents(fs, parent);
        fs.Mkdir(parent, 0x1FF);
    }

    static string? ValueText(object? value) => value switch
    {
        null => null,
        PSObject p => ValueText(p.BaseObject),
        string s => s,
        _ => value.ToString(),
    };

    /// <summary>New-Item -Value and Set-Item -Value: text as UTF-8 without a newline, bytes
    /// as they are.</summary>
    static void WriteValue(Stream s, object? value)
    {
        value = value is PSObject p ? p.BaseObject : value;
        switch (value)
        {
            case null:
                return;
            case byte[] bytes:
                s.Write(bytes);
                return;
            case string text:
                s.Write(new UTF8Encoding(false).GetBytes(text));
                return;
            case IEnumerable items:
                foreach (var item in items)
                    WriteValue(s, item is byte b ? new[] { b } : item);
                return;
            default:
                s.Write(new UTF8Encoding(false).GetBytes(value.ToString() ?? ""));
                return;
        }
    }

    protected override void RenameItem(string path, string newName) => Guarded(path, "RenameItem", () =>
    {
        var (drive, union) = Locate(path);
        var fs = drive.Union;
        var target = RenameTargetOf(drive, union, newName);
        var destination = target.Destination;
        var e = target.SourceEntry;
        if (!ShouldProcess($"Item: {path} Destination: {PsPath(drive, destination)}", "Rename Item"))
            return;
        if (target.SamePath)
        {
            // The same name: refused for a directory, and for a file where rename(2) is
            // (a read-only overlay); a file with a working rename stays as it is.
            if (target.SourceIsContainer || drive.ReadOnly)
            {
                WriteError(ErrorRecords.RenameToItself(path, target.SourceIsContainer));
                return;
            }
            WriteEntry(drive, e, false);
            return;
        }
        // Rename-Item never replaces: rename(2) would, so refuse first (.NET's File.Move
        // links, which finds the name), naming the item that is in the way. Another name of
        // the same file is rename(2)'s to decide, as File.Move leaves it (see MoveItem).
        if (target.Existing is not null && !(target.OtherNameOfSource && !target.SourceIsContainer))
        {
            WriteError(ErrorRecords.ForErrno(Errno.EEXIST,
                PsPath(drive, destination), "RenameItem"));
            return;
        }
        fs.Rename(union, destination);
        WriteEntry(drive, fs.Stat(destination), e.IsDirectory);
    });

    /// <summary>The name Rename-Item gives: a bare name, or a path that stays in the same
    /// directory (as the FileSystem provider allows); anything else is Move-Item's job.</summary>
    static string NewNameIn(string parent, string newName)
    {
        // A bad -NewName ends the command (PSArgumentException), as on the FileSystem provider.
        if (string.IsNullOrEmpty(newName))
            throw new PSArgumentException("Rename-Item needs a new name.", nameof(newName));
        if (newName.IndexOfAny(new[] { '/', '\\' }) < 0)
            return newName;
        var asPath = OverlayPath.ToUnion(newName, out _);
        if (!newName.StartsWith('/') && !newName.Contains(':'))
            asPath = OverlayPath.ToUnion(OverlayPath.UnionChild(parent, newName), out _);
        if (OverlayPath.UnionParent(asPath) != parent)
            throw new PSArgumentException("Cannot rename because the target specified represents a path in another directory; use Move-Item to move an item.", nameof(newName));
        return OverlayPath.LastName(asPath);
    }

    /// <summary>Set-Item -Value on a file replaces its content (the FileSystem provider has no
    /// Set-Item; here it is the one-liner for "this file now holds that").</summary>
    protected override void SetItem(string path, object value)
    {
        Guarded(path, "SetItem", () =>
        {
            var (drive, union) = Locate(path);
            var fs = drive.Union;
            var e = fs.Lookup(union);
            if (e is { IsDirectory: true })
                throw Refuse(Errno.EISDIR, path, "SetItem");
            if (!ShouldProcess(path, "Set Item"))
                return;
            using (var s = fs.OpenWrite(FollowFinal(fs, union), FileMode.Create, 0x1B6))
                WriteValue(s, value);
            WriteEntry(drive, fs.Stat(union), false);
        });
    }

    /// <summary>Clear-Item on a file empties it (truncate to 0, copying a lower file up first).</summary>
    protected override void ClearItem(string path)
    {
        Guarded(path, "ClearItem", () =>
        {
            var (drive, union) = Locate(path);
            var fs = drive.Union;
            var e = fs.Stat(union);
            if (e.IsDirectory)
                throw Refuse(Errno.EISDIR, path, "ClearItem");
            if (!ShouldProcess(path, "Clear Item"))
                return;
            fs.Truncate(FollowFinal(fs, union), 0);
        });
    }
}
