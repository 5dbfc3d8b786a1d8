using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>
/// Move-Item of a directory that overlayfs will not rename (lower content, redirect_dir=off:
/// EXDEV), done as the FileSystem provider does it over a kernel mount (its CopyAndDelete):
/// make the destination directory, rename each file into it (rename(2) of a file works on an
/// overlay: copy-up, then a whiteout at the source, so owners, modes and xattrs travel), do
/// the same for each subdirectory, then remove each source directory that is left empty, as
/// Remove-Item would (a read-only or hidden one stays, with its error, unless -Force).
/// </summary>
public sealed partial class OverlayProvider
{
    void MoveByParts(OverlayDriveInfo drive, string src, string dst)
    {
        var fs = drive.Union;
        var existing = fs.Lookup(dst);
        if (existing is null)
            fs.Mkdir(dst, 0x1FF);
        else if (ContainerEntry(fs, dst) is null)
        {
            WriteError(new ErrorRecord(new IOException($"An item with the specified name {PsPath(drive, dst)} already exists."),
                "DirectoryExist", ErrorCategory.ResourceExists, PsPath(drive, dst)));
            return;
        }
        // A snapshot, files first, then directories (a link to a directory counts as one, as
        // .NET lists it), as the FileSystem provider walks.
        var children = fs.ReadDir(src).ToList();
        bool IsDir(Core.Union.UnionEntry c) => c.IsDirectory || ContainerEntry(fs, OverlayPath.UnionChild(src, c.Name)) is not null;
        var dirs = children.Where(IsDir).ToList();
        foreach (var file in children.Except(dirs))
        {
            if (Stopping)
                return;
            MoveOneFile(drive, OverlayPath.UnionChild(src, file.Name), OverlayPath.UnionChild(dst, file.Name));
        }
        foreach (var dir in dirs)
        {
            if (Stopping)
                return;
            MoveByParts(drive, OverlayPath.UnionChild(src, dir.Name), OverlayPath.UnionChild(dst, dir.Name));
        }
        if (!fs.ReadDir(src).Any())
            RemoveItem(PsPath(drive, src), recurse: false);
    }

    /// <summary>File.Move: never onto an existing name (without -Force), an error per file.</summary>
    void MoveOneFile(OverlayDriveInfo drive, string src, string dst)
    {
        var fs = drive.Union;
        try
        {
            if (fs.Lookup(dst) is { } there && (!Force || there.IsDirectory))
                throw new IOException($"The file '{PsPath(drive, dst)}' already exists.");
            fs.Rename(src, dst);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(ErrorRecords.ForItem(e, PsPath(drive, src), "MoveItem"));
        }
    }
}
