using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;
using OverlayPS.Errors;
using OverlayPS.Items;
using OverlayPS.Progress;

namespace OverlayPS.Provider;

/// <summary>
/// Copy-Item and Move-Item within Overlay drives (PowerShell itself refuses them between an
/// Overlay drive and a FileSystem drive: Copy-OverlayItem does that). A destination that is an
/// existing directory receives the item under its own name, as on the FileSystem provider.
/// </summary>
public sealed partial class OverlayProvider
{
    protected override void CopyItem(string path, string copyPath, bool recurse)
    {
        Guarded(path, "CopyItem", () =>
        {
            var target = TargetOf(path, copyPath);
            var (srcDrive, src, dstDrive, dst) = (target.SourceDrive, target.Source, target.DestinationDrive, target.Destination);
            var st = target.SourceEntry;
            if (target.NamedReachesSource)
            {
                // FileSystem's CopyItem compares the two items first, for files and directories.
                WriteError(ErrorRecords.CopyOntoItself(path));
                return;
            }
            if (st.IsDirectory && target.SamePath)
            {
                // A directory copied into the directory it is in: FileSystem's
                // CopyDirectoryInfoItem finds it there (ResourceExists without -Force).
                CopyOntoItself(srcDrive, src);
                return;
            }
            if (!st.IsDirectory && target.SameFile)
            {
                // Copying a file onto itself would truncate it before reading it: the FileSystem
                // provider refuses with this error (a directory named as its own copy too).
                WriteError(ErrorRecords.CopyOntoItself(path));
                return;
            }
            if (st.IsDirectory && target.InsideSource)
                throw new ArgumentException($"Cannot copy the directory '{path}' into itself.");
            if (dstDrive.ReadOnly)
            {
                if (st.IsDirectory)
                    RefuseDirectoryCopyToReadOnly(srcDrive, src, dstDrive, dst, recurse, CopyFilesFilter());
                else if (ContainerEntry(dstDrive.Union, dst) is not null)
                    // File.Copy's open(2) of a directory for writing fails with EISDIR before a
                    // read-only mount's EROFS (seed 1856): .NET's UnauthorizedAccess.
                    throw Refuse(Errno.EISDIR, path, "CopyItem");
                else
                    RefusedReadOnly(dstDrive, dst, "CopyItem");
                return;
            }
            // The copy of a directory makes missing parents (Directory.CreateDirectory does);
            // a file's does not, -Force or not: File.Copy finds no part of the path (seed 1861).
            if (st.IsDirectory && OverlayPath.UnionParent(dst) is { } parent && dstDrive.Union.Lookup(parent) is null)
                MakeParents(dstDrive.Union, dst);
            if (!DestinationParentExists(dstDrive, dst, "CopyItem"))
                return;
            var kind = st.IsDirectory ? "Directory" : "File";
            if (!ShouldProcess($"Item: {path} Destination: {PsPath(dstDrive, dst)}", $"Copy {kind}"))
                return;
            if (st.IsDirectory && target.Existing is null && target.WhyNoneExists == Errno.ENAMETOOLONG)
                // CopyDirectoryInfoItem's own existence check reports a name too long (after
                // the cmdlet's, before its mkdir fails): both are FileSystem's.
                WriteError(ErrorRecords.NameTooLongAtExistenceCheck(PsPath(dstDrive, dst)));
            if (st.IsDirectory && target.Existing is not null && ContainerEntry(dstDrive.Union, dst) is null)
            {
                // A file (or a link to no directory) in the way of a directory: FileSystem's
                // CopyDirectoryInfoItem reports it without -Force (ResourceExists, seeds 582 and
                // 692) and passes over it in silence with -Force (seed 1928); either way it then
                // copies the directory's files onto that path, one after the other. The drive
                // copies nothing: an empty directory is then silent with -Force, as there, and
                // one with content is the error (README: differences).
                if (!Force || srcDrive.Union.ReadDir(src).Any())
                    WriteError(ErrorRecords.AlreadyExists(PsPath(dstDrive, dst), "DirectoryExist"));
                return;
            }
            var progress = new ProgressDisplay(WriteProgress, "Copy-Item", "Copied");
            var copy = new TreeCopy(new UnionTreeSide(srcDrive.Union), new UnionTreeSide(dstDrive.Union),
                new TreeCopyOptions(Recurse: recurse, KeepMetadata: false, Overwrite: true, FollowSymlinks: true))
            {
                Stopping = () => Stopping,
                Progress = progress.Show,
                CopiesFile = CopyFilesFilter(),
                MergedInto = d =>
                {
                    // FileSystem's CopyDirectoryInfoItem: an existing directory is an error
                    // without -Force, and the copy goes on into it.
                    if (!Force)
                        WriteError(ErrorRecords.AlreadyExists(PsPath(dstDrive, d), "DirectoryExist"));
                },
                Copied = (_, d) => WriteCopied(dstDrive, d),
                Failed = (e, s) => WriteError(ErrorRecords.ForItem(e, PsPath(srcDrive, s), "CopyItem")),
            };
            try { copy.Copy(src, dst); }
            finally { progress.Complete(); }
        }, arguments: true);
    }

    protected override void MoveItem(string path, string destination)
    {
        Guarded(path, "MoveItem", () =>
        {
            var target = TargetOf(path, destination);
            var (srcDrive, src, dstDrive, dst) = (target.SourceDrive, target.Source, target.DestinationDrive, target.Destination);
            var st = target.SourceEntry;
            if (src == "/")
                throw Refuse(Errno.EBUSY, path, "MoveItem");
            // A directory into itself (its own name or its parent included: an existing
            // directory receives it under its name) is the FileSystem provider's InvalidArgument.
            bool container = target.SourceIsContainer;
            if (container && target.InsideSource)
                throw new ArgumentException($"Destination path cannot be a subdirectory of the source or the source itself: {PsPath(dstDrive, target.Into)}.");
            // Two names of one file (the same one included): File.Move renames anyway, and
            // rename(2) decides: nothing happens for one upper inode; a lower one is copied up
            // and moved, as on a mount. Where rename(2) is refused (a read-only drive) .NET
            // falls back to link(2), which finds the name taken.
            bool sameFile = !container && (target.SamePath || target.OtherNameOfSource);
            if (sameFile && srcDrive.ReadOnly)
            {
                WriteError(ErrorRecords.FileAlreadyExists(PsPath(dstDrive, dst), "MoveItemIOError"));
                return;
            }
            if (target.SamePath)
                return;
            if (!DestinationParentExists(dstDrive, dst, "MoveItem"))
                return;
            var existing = target.Existing;
            // A directory onto an existing directory (or a link to one): .NET's Directory.Move
            // refuses with a plain IOException, which FileSystem's MoveDirectoryInfoUnchecked
            // takes for "another volume" and answers with CopyAndDelete: the source's content
            // joins the directory there, file by file (seeds 1085, 1615).
            bool joins = existing is not null && !sameFile && st.IsDirectory && srcDrive == dstDrive
                && ContainerEntry(dstDrive.Union, dst) is not null;
            if (existing is not null && !sameFile && !joins
                && (container || !Force || ContainerEntry(dstDrive.Union, dst) is not null))
            {
                // The error names the destination that is in the way, not the source.
                // FileSystem's MoveDirectoryInfoItem checks (ResourceExists), before anything
                // is tried (a read-only drive too); a file meets .NET's File.Move refusing (an
                // IOException, so WriteError), -Force or not where the name is a directory or
                // a link to one, which File.Move's overwrite does not replace (seed 641).
                WriteError(container
                    ? ErrorRecords.AlreadyExists(PsPath(dstDrive, dst), "MoveDestinationExists")
                    : ErrorRecords.FileAlreadyExists(PsPath(dstDrive, dst), "MoveDestinationExists"));
                return;
            }
            if (RefusedReadOnly(dstDrive, dst, "MoveItem") || RefusedReadOnly(srcDrive, src, "MoveItem"))
                return;
            var kind = st.IsDirectory ? "Directory" : "File";
            if (!ShouldProcess($"Item: {path} Destination: {PsPath(dstDrive, dst)}", $"Move {kind}"))
                return;
            // -Force over a file: FileSystem's MoveFileInfoItem clears the destination's
            // ReadOnly attribute before replacing it, a chmod another name of it keeps (seed 364).
            if (existing is not null && !sameFile && !joins)
                RefusedAsReadOnly(dstDrive, existing, PsPath(dstDrive, dst));
            if (joins)
            {
                MoveByParts(srcDrive, src, dst);
                WriteCopied(dstDrive, dst);
                return;
            }
            if (srcDrive == dstDrive)
            {
                try
                {
                    srcDrive.Union.Rename(src, dst);
                    WriteCopied(dstDrive, dst);
                    return;
                }
                catch (PosixException e) when (e.Errno == Errno.EXDEV && st.IsDirectory)
                {
                    // overlayfs refuses to rename a directory with lower content (redirect_dir=off);
                    // the FileSystem provider over a kernel mount then moves it file by file.
                    MoveByParts(srcDrive, src, dst);
                    WriteCopied(dstDrive, dst);
                    return;
                }
            }
            CopyThenDelete(srcDrive, src, dstDrive, dst);
        }, arguments: true);
    }

    /// <summary>-Filter and -Exclude of a recursive Copy-Item, on the names of the files inside
    /// (as FileSystemProvider.CopyDirectoryInfoItem applies them; -Include only picks the
    /// top-level items, which PowerShell has done before calling here).</summary>
    Func<string, bool> CopyFilesFilter()
    {
        // -Filter as on Linux's FileSystem provider: only * and ? are wildcards.
        var filter = string.IsNullOrEmpty(Filter) || Filter == "*" ? null
            : WildcardPattern.Get(Filter.Replace("`", "``").Replace("[", "`[").Replace("]", "`]"), WildcardOptions.IgnoreCase);
        var exclude = (Exclude ?? new System.Collections.ObjectModel.Collection<string>())
            .Select(x => WildcardPattern.Get(x, WildcardOptions.IgnoreCase)).ToList();
        return name => (filter is null || filter.IsMatch(name)) && !exclude.Any(x => x.IsMatch(name));
    }

    /// <summary>
    /// A directory copied to a read-only drive, refused before anything is written, with the
    /// errors FileSystem's CopyDirectoryInfoItem gives over a read-only mount. Its
    /// CreateDirectory reports a directory that cannot be made (EROFS) only without -Force
    /// (with it an IOException there is silent), and a name already there as DirectoryExist
    /// (ResourceExists; with -Force an existing directory is written out). Then each file of
    /// the source is one error (its copy fails), then each subdirectory the same way. Where
    /// the directory was not made its content goes to that same path, not below it
    /// (IsItemContainer is false there): seeds 1062, 1258.
    /// </summary>
    void RefuseDirectoryCopyToReadOnly(OverlayDriveInfo srcDrive, string src, OverlayDriveInfo dstDrive, string dst,
        bool recurse, Func<string, bool> copiesFile)
    {
        var existing = dstDrive.Union.Lookup(dst);
        var made = existing is null ? null : ContainerEntry(dstDrive.Union, dst);
        if (existing is not null && !Force)
            WriteError(ErrorRecords.AlreadyExists(PsPath(dstDrive, dst), "DirectoryExist"));
        else if (made is not null)
            WriteEntry(dstDrive, made, true);
        else if (existing is null && !Force)
            RefusedReadOnly(dstDrive, dst, "CopyItem");
        if (!recurse)
            return;
        // Files first, then directories, as EnumerateFiles and EnumerateDirectories; a link
        // counts as a file here (the harness does not ask FileSystem, which follows links to
        // directories: README, differences).
        var children = srcDrive.Union.ReadDir(src).ToList();
        string Into(string name) => made is null ? dst : OverlayPath.UnionChild(dst, name);
        foreach (var file in children.Where(c => !c.IsDirectory && copiesFile(c.Name)))
            RefusedReadOnly(dstDrive, Into(file.Name), "CopyItem");
        foreach (var dir in children.Where(c => c.IsDirectory))
        {
            if (Stopping)
                return;
            RefuseDirectoryCopyToReadOnly(srcDrive, OverlayPath.UnionChild(src, dir.Name), dstDrive, Into(dir.Name), recurse, copiesFile);
        }
    }

    /// <summary>
    /// A directory copied into the directory it is in, as FileSystem's CopyDirectoryInfoItem
    /// walks it: the directory is there already (ResourceExists without -Force), each file
    /// cannot overwrite itself, then each subdirectory the same way. Nothing is written.
    /// </summary>
    void CopyOntoItself(OverlayDriveInfo drive, string dir)
    {
        var psPath = PsPath(drive, dir);
        if (!Force)
            WriteError(ErrorRecords.AlreadyExists(psPath, "DirectoryExist"));
        var children = drive.Union.ReadDir(dir).ToList();
        foreach (var file in children.Where(c => !c.IsDirectory))
        {
            var filePs = PsPath(drive, OverlayPath.UnionChild(dir, file.Name));
            WriteError(ErrorRecords.CopyOntoItself(filePs));
        }
        foreach (var sub in children.Where(c => c.IsDirectory))
        {
            if (Stopping)
                return;
            CopyOntoItself(drive, OverlayPath.UnionChild(dir, sub.Name));
        }
    }

    void CopyThenDelete(OverlayDriveInfo srcDrive, string src, OverlayDriveInfo dstDrive, string dst)
    {
        bool failed = false;
        var progress = new ProgressDisplay(WriteProgress, "Move-Item", "Copied");
        var copy = new TreeCopy(new UnionTreeSide(srcDrive.Union), new UnionTreeSide(dstDrive.Union),
            new TreeCopyOptions(Recurse: true, KeepMetadata: false, Overwrite: Force.IsPresent))
        {
            Stopping = () => Stopping,
            Progress = progress.Show,
            Failed = (e, s) =>
            {
                failed = true;
                WriteError(ErrorRecords.ForItem(e, PsPath(srcDrive, s), "MoveItem"));
            },
        };
        try { copy.Copy(src, dst); }
        finally { progress.Complete(); }
        if (failed || Stopping)
            return; // keep the source whole when any part of it did not arrive
        var st = srcDrive.Union.Stat(src);
        if (st.IsDirectory)
            srcDrive.Union.RemoveTree(src);
        else
            srcDrive.Union.Unlink(src);
        WriteCopied(dstDrive, dst);
    }

    void WriteCopied(OverlayDriveInfo drive, string union)
    {
        var e = drive.Union.Lookup(union);
        if (e is not null)
            WriteEntry(drive, e, e.IsDirectory);
    }
}
