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
            var (srcDrive, src) = Locate(path);
            var (dstDrive, dst) = Locate(copyPath);
            var st = srcDrive.Union.Stat(src);
            if (srcDrive == dstDrive && dst == src)
            {
                // FileSystem's CopyItem compares the two paths first, for files and directories.
                WriteError(ErrorRecords.CopyOntoItself(path));
                return;
            }
            dst = Into(dstDrive, dst, src);
            if (st.IsDirectory && srcDrive == dstDrive && dst == src)
            {
                // A directory copied into the directory it is in: FileSystem's
                // CopyDirectoryInfoItem finds it there (ResourceExists without -Force).
                CopyOntoItself(srcDrive, src);
                return;
            }
            if (!st.IsDirectory && SameFile(srcDrive, src, dstDrive, dst))
            {
                // Copying a file onto itself would truncate it before reading it: the FileSystem
                // provider refuses with this error (a directory named as its own copy too).
                WriteError(ErrorRecords.CopyOntoItself(path));
                return;
            }
            if (srcDrive == dstDrive && st.IsDirectory && IsInside(dst, src))
                throw new ArgumentException($"Cannot copy the directory '{path}' into itself.");
            if (RefusedReadOnly(dstDrive, dst, "CopyItem"))
                return;
            // -Force makes a missing destination directory, as FileSystem's Copy-Item does.
            if (Force && OverlayPath.UnionParent(dst) is { } parent && dstDrive.Union.Lookup(parent) is null)
                MakeParents(dstDrive.Union, dst);
            if (!DestinationParentExists(dstDrive, dst, "CopyItem"))
                return;
            var kind = st.IsDirectory ? "Directory" : "File";
            if (!ShouldProcess($"Item: {path} Destination: {PsPath(dstDrive, dst)}", $"Copy {kind}"))
                return;
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
            var (srcDrive, src) = Locate(path);
            var (dstDrive, dst) = Locate(destination);
            var st = srcDrive.Union.Stat(src);
            var dstInto = ContainerEntry(dstDrive.Union, dst) is not null ? OverlayPath.UnionChild(dst, OverlayPath.LastName(src)) : dst;
            dst = Into(dstDrive, dst, src);
            if (src == "/")
                throw Refuse(Errno.EBUSY, path, "MoveItem");
            // A directory into itself (its own name or its parent included: an existing
            // directory receives it under its name) is the FileSystem provider's InvalidArgument.
            bool container = st.IsDirectory || ContainerEntry(srcDrive.Union, src) is not null;
            if (srcDrive == dstDrive && container && (IsInside(dst, src) || IsInside(dstInto, src)))
                throw new ArgumentException($"Destination path cannot be a subdirectory of the source or the source itself: {PsPath(dstDrive, dstInto)}.");
            if (srcDrive == dstDrive && dst == src)
                return;
            if (!DestinationParentExists(dstDrive, dst, "MoveItem")
                || RefusedReadOnly(dstDrive, dst, "MoveItem") || RefusedReadOnly(srcDrive, src, "MoveItem"))
                return;
            // A move removes its source: a read-only source drive refuses it before anything
            // is copied to the destination (a copy that stays behind would be a half move).
            if (srcDrive.ReadOnly)
                throw Refuse(Errno.EROFS, path, "MoveItem");
            var kind = st.IsDirectory ? "Directory" : "File";
            if (!ShouldProcess($"Item: {path} Destination: {PsPath(dstDrive, dst)}", $"Move {kind}"))
                return;
            var existing = dstDrive.Union.Lookup(dst);
            // Two names of one file: File.Move renames anyway, and rename(2) decides (nothing
            // happens for one upper inode; a lower one is copied up and moved, as on a mount).
            bool sameFile = srcDrive == dstDrive && !container && existing is { IsDirectory: false }
                && existing.Stat.Device == st.Stat.Device && existing.Stat.Inode == st.Stat.Inode;
            if (existing is not null && !sameFile && (container || !Force || existing.IsDirectory))
            {
                // The error names the destination that is in the way, not the source; the
                // FileSystem provider's own check, so ResourceExists.
                // FileSystem's MoveDirectoryInfoItem checks (ResourceExists); a file meets
                // .NET's File.Move refusing (an IOException, so WriteError).
                WriteError(container
                    ? ErrorRecords.AlreadyExists(PsPath(dstDrive, dst), "MoveDestinationExists")
                    : ErrorRecords.FileAlreadyExists(PsPath(dstDrive, dst), "MoveDestinationExists"));
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

    /// <summary>Both paths name one file: the same union path, or the same inode once links
    /// are followed (a symlink to it, a hard link of it), as TreeCopy.RefuseSameFile judges it
    /// and .NET's File.Copy refuses it "with itself". Checked here too so the error is the
    /// FileSystem provider's, before -WhatIf is asked.</summary>
    static bool SameFile(OverlayDriveInfo srcDrive, string src, OverlayDriveInfo dstDrive, string dst)
    {
        if (srcDrive != dstDrive)
            return false;
        if (src == dst)
            return true;
        var side = new UnionTreeSide(srcDrive.Union);
        try
        {
            return side.LookupFollowing(dst) is { } b && side.LookupFollowing(src) is { } a
                && a.Device == b.Device && a.Inode == b.Inode;
        }
        catch (IOException)
        {
            return false; // a link loop: not the source
        }
    }

    /// <summary>A destination whose directory is missing is an error naming the destination
    /// (the FileSystem provider's "Could not find a part of the path"), written before any copy.</summary>
    bool DestinationParentExists(OverlayDriveInfo dstDrive, string dst, string operation)
    {
        var parent = OverlayPath.UnionParent(dst);
        if (parent is null || ContainerEntry(dstDrive.Union, parent) is not null)
            return true;
        WriteError(DestinationError(Errno.ENOENT, dstDrive, dst, operation));
        return false;
    }

    /// <summary>A read-only drive refuses before anything is copied, and the error names the
    /// side that cannot be written: Copy-Item demo:/x app:/x into a read-only app: blamed
    /// demo:/x, the source, for the write the destination refused.</summary>
    bool RefusedReadOnly(OverlayDriveInfo drive, string union, string operation)
    {
        if (!drive.ReadOnly)
            return false;
        WriteError(DestinationError(Errno.EROFS, drive, union, operation));
        return true;
    }

    ErrorRecord DestinationError(Errno errno, OverlayDriveInfo dstDrive, string dst, string operation) =>
        ErrorRecords.ForErrno(errno, PsPath(dstDrive, dst), operation);

    /// <summary>dst is src or below it (union paths).</summary>
    static bool IsInside(string dst, string src) =>
        dst == src || dst.StartsWith(src == "/" ? "/" : src + "/", StringComparison.Ordinal);

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

    /// <summary>An existing directory (or symlink to one) as destination receives the item
    /// under its own name.</summary>
    static string Into(OverlayDriveInfo dstDrive, string dst, string src) =>
        ContainerEntry(dstDrive.Union, dst) is not null && dst != src
            ? OverlayPath.UnionChild(dst, OverlayPath.LastName(src))
            : dst;

    void WriteCopied(OverlayDriveInfo drive, string union)
    {
        var e = drive.Union.Lookup(union);
        if (e is not null)
            WriteEntry(drive, e, e.IsDirectory);
    }
}
