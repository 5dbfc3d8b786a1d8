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
        try
        {
            var (srcDrive, src) = Locate(path);
            var (dstDrive, dst) = Locate(copyPath);
            var st = srcDrive.Union.Stat(src);
            dst = Into(dstDrive, dst, src);
            if ((!st.IsDirectory || dst == src) && SameFile(srcDrive, src, dstDrive, dst))
            {
                // Copying a file onto itself would truncate it before reading it: the FileSystem
                // provider refuses with this error (a directory named as its own copy too).
                WriteError(new ErrorRecord(new IOException($"Cannot overwrite the item {path} with itself."),
                    "CopyError", ErrorCategory.WriteError, path));
                return;
            }
            if (srcDrive == dstDrive && st.IsDirectory && IsInside(dst, src))
                throw new ArgumentException($"Cannot copy the directory '{path}' into itself.");
            if (!DestinationParentExists(dstDrive, dst, "CopyItem") || RefusedReadOnly(dstDrive, dst, "CopyItem"))
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
                        WriteError(new ErrorRecord(
                            new IOException($"An item with the specified name {PsPath(dstDrive, d)} already exists."),
                            "DirectoryExist", ErrorCategory.ResourceExists, PsPath(dstDrive, d)));
                },
                Copied = (_, d) => WriteCopied(dstDrive, d),
                Failed = (e, s) => WriteError(ProviderErrors.From(e, PsPath(srcDrive, s), "CopyItem")),
            };
            try { copy.Copy(src, dst); }
            finally { progress.Complete(); }
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, "CopyItemArgument", ErrorCategory.InvalidArgument, path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(ProviderErrors.From(ex, path, "CopyItem"));
        }
    }

    protected override void MoveItem(string path, string destination)
    {
        try
        {
            var (srcDrive, src) = Locate(path);
            var (dstDrive, dst) = Locate(destination);
            var st = srcDrive.Union.Stat(src);
            dst = Into(dstDrive, dst, src);
            if (src == "/")
                throw new PosixException(Errno.EBUSY, src, "move the root of");
            if (srcDrive == dstDrive && dst == src)
                return;
            if (srcDrive == dstDrive && st.IsDirectory && IsInside(dst, src))
                throw new ArgumentException($"Cannot move the directory '{path}' into itself.");
            if (!DestinationParentExists(dstDrive, dst, "MoveItem")
                || RefusedReadOnly(dstDrive, dst, "MoveItem") || RefusedReadOnly(srcDrive, src, "MoveItem"))
                return;
            // A move removes its source: a read-only source drive refuses it before anything
            // is copied to the destination (a copy that stays behind would be a half move).
            if (srcDrive.ReadOnly)
                throw new PosixException(Errno.EROFS, src, "move");
            var kind = st.IsDirectory ? "Directory" : "File";
            if (!ShouldProcess($"Item: {path} Destination: {PsPath(dstDrive, dst)}", $"Move {kind}"))
                return;
            var existing = dstDrive.Union.Lookup(dst);
            if (existing is not null && (!Force || existing.IsDirectory))
            {
                // The error names the destination that is in the way, not the source.
                WriteError(DestinationError(Errno.EEXIST, dstDrive, dst, "MoveItem"));
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
                    // the FileSystem provider over a kernel mount then copies the tree and deletes
                    // the source, leaving the copy in upper and a whiteout at the source. Same here.
                }
            }
            CopyThenDelete(srcDrive, src, dstDrive, dst);
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, "MoveItemArgument", ErrorCategory.InvalidArgument, path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(ProviderErrors.From(ex, path, "MoveItem"));
        }
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
        ProviderErrors.From(new PosixException(errno, dst, operation), PsPath(dstDrive, dst), operation);

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
                WriteError(ProviderErrors.From(e, PsPath(srcDrive, s), "MoveItem"));
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
