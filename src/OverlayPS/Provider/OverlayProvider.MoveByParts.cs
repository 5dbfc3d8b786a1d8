using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Errors;
using OverlayPS.Core.Transfer;
using OverlayPS.Items;
using OverlayPS.Progress;

namespace OverlayPS.Provider;

/// <summary>
/// Move-Item of a directory that overlayfs will not rename (lower content, redirect_dir=off:
/// EXDEV), or onto an existing directory (which .NET refuses), done as the FileSystem provider
/// does it over a kernel mount (its CopyAndDelete): make the destination directory unless it is
/// there, rename each file into it (rename(2) of a file works on an
/// overlay: copy-up, then a whiteout at the source, so owners, modes and xattrs travel), do
/// the same for each subdirectory, then remove each source directory that is left empty, as
/// Remove-Item would (a read-only or hidden one stays, with its error, unless -Force).
/// </summary>
public sealed partial class OverlayProvider
{
    void MoveByParts(OverlayDriveInfo drive, string src, string dst)
    {
        var progress = new ProgressDisplay(WriteProgress, "Move-Item", "Moved");
        long moved = 0;
        var ticker = new ProgressTicker(ProgressTicker.DefaultInterval);
        try { MoveByParts(drive, src, dst, p => { moved++; if (ticker.Due()) progress.Show(new TransferProgress(moved, 0, p, ticker.Elapsed)); }); }
        finally { progress.Complete(); }
    }

    /// <param name="moved">Told each file moved (the progress bar).</param>
    void MoveByParts(OverlayDriveInfo drive, string src, string dst, Action<string> moved)
    {
        var fs = drive.Union;
        var existing = fs.Lookup(dst);
        if (existing is null)
            fs.Mkdir(dst, 0x1FF);
        else if (ContainerEntry(fs, dst) is null)
        {
            WriteError(ErrorRecords.AlreadyExists(PsPath(drive, dst), "DirectoryExist"));
            return;
        }
        // A snapshot, files first, then directories, as the FileSystem provider walks. A link
        // is moved as a link: FileSystem lists a link to a directory with the directories and
        // moves what it leads to (round a link to an ancestor until the path is too long;
        // README: differences).
        var children = fs.ReadDir(src).ToList();
        var dirs = children.Where(c => c.IsDirectory).ToList();
        foreach (var file in children.Except(dirs))
        {
            if (Stopping)
                return;
            MoveOneFile(drive, OverlayPath.UnionChild(src, file.Name), OverlayPath.UnionChild(dst, file.Name));
            moved(PsPath(drive, OverlayPath.UnionChild(src, file.Name)));
        }
        foreach (var dir in dirs)
        {
            if (Stopping)
                return;
            MoveByParts(drive, OverlayPath.UnionChild(src, dir.Name), OverlayPath.UnionChild(dst, dir.Name), moved);
        }
        if (!fs.ReadDir(src).Any())
            RemoveItem(PsPath(drive, src), recurse: false);
    }

    /// <summary>File.Move: never onto an existing name (without -Force), an error per file;
    /// with -Force MoveFileInfoItem clears the file's ReadOnly attribute first, as for a file
    /// moved alone.</summary>
    void MoveOneFile(OverlayDriveInfo drive, string src, string dst) => Guarded(PsPath(drive, src), "MoveItem", () =>
    {
        var fs = drive.Union;
        var there = fs.Lookup(dst);
        if (there is not null && (!Force || there.IsDirectory))
            throw new DriveRefusal(ErrorRecords.FileAlreadyExists(PsPath(drive, dst), "MoveItemIOError"));
        if (there is not null)
            RefusedAsReadOnly(drive, there, PsPath(drive, dst));
        fs.Rename(src, dst);
    });
}
