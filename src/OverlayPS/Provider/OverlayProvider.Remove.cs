using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Core.Transfer;
using OverlayPS.Items;
using OverlayPS.Progress;

namespace OverlayPS.Provider;

/// <summary>
/// Remove-Item, walked the way FileSystemProvider.RemoveDirectoryInfoItem walks (checked
/// against it over a kernel mount): in each directory the sub-directories first, then the
/// other items, each with its own ShouldProcess and its own error; a dot-file (hidden on
/// Linux) is refused without -Force, and so is a read-only item (FileAttributes.ReadOnly: no
/// write bit), even as root, because the FileSystem provider checks the attribute itself (a
/// read-only directory only when its turn comes, after its content was removed); a
/// directory that is still not empty afterwards is reported as DirectoryNotEmpty instead of
/// being attempted. Each unlink/rmdir is one engine
/// call, so the whiteouts it leaves are the engine's.
/// </summary>
public sealed partial class OverlayProvider
{
    protected override void RemoveItem(string path, bool recurse)
    {
        Guarded(path, "RemoveItem", () =>
        {
            var (drive, union) = Locate(path);
            var e = drive.Union.Stat(union);
            if (union == "/")
                throw Refuse(Errno.EBUSY, path, "RemoveItem");
            if (RefusedAsHidden(e.Name, path))
                return;
            if (!ShouldProcess(path, e.IsDirectory ? "Remove Directory" : "Remove File"))
                return;
            if (recurse && e.IsDirectory)
            {
                // rm -rf of a big tree runs for seconds: a bar, as the FileSystem provider's.
                var bar = new ProgressDisplay(WriteProgress, "Remove-Item", "Removed");
                try { RemoveDirectory(drive, union, new RemovalCount(bar)); }
                finally { bar.Complete(); }
            }
            else if (!RefusedAsReadOnly(drive, e, path))
            {
                if (e.IsDirectory)
                    drive.Union.Rmdir(union);
                else
                    drive.Union.Unlink(union);
            }
        });
    }

    /// <summary>Empties a directory item by item, then removes it (its ShouldProcess was asked).</summary>
    void RemoveDirectory(OverlayDriveInfo drive, string union, RemovalCount removed)
    {
        var fs = drive.Union;
        var psPath = PsPath(drive, union);
        // Two listings, as the FileSystem provider's EnumerateDirectories and then EnumerateFiles:
        // the files are listed after the directories were removed, and the first removal can
        // copy the directory up, which makes it merged: a whiteout a one-layer directory listed
        // is no longer listed then (seed 980). Each listing is a snapshot, taken before its
        // removals, since removing a link changes what it leads to.
        foreach (var child in ListedForRemoval(fs, union, directories: true)
                     .Concat(ListedForRemoval(fs, union, directories: false)))
        {
            if (Stopping)
                return;
            var childPath = OverlayPath.UnionChild(union, child.Name);
            var childPs = PsPath(drive, childPath);
            // The FileSystem provider reads each file's length before removing it: a name the
            // listing holds but lookup does not find (a whiteout in a directory of one layer,
            // which the kernel lists as it is) ends the whole removal there ("Could not find file").
            if (!child.IsDirectory && fs.Lookup(childPath) is null)
                throw new IOException($"Could not find file '{childPs}'.");
            if (RefusedAsHidden(child.Name, childPs))
                continue;
            if (!ShouldProcess(childPs, child.IsDirectory ? "Remove Directory" : "Remove File"))
                continue;
            if (child.IsDirectory)
            {
                RemoveDirectory(drive, childPath, removed);
                continue;
            }
            Guarded(childPs, "RemoveItem", () =>
            {
                if (!RefusedAsReadOnly(drive, child, childPs))
                {
                    fs.Unlink(childPath);
                    removed.One(childPs);
                }
            });
        }
        Guarded(psPath, "RemoveItem", () =>
        {
            if (fs.ReadDir(union).Any())
                throw Refuse(Errno.ENOTEMPTY, psPath, "RemoveItem");
            if (!RefusedAsReadOnly(drive, fs.Stat(union), psPath))
            {
                fs.Rmdir(union);
                removed.One(psPath);
            }
        });
    }

    /// <summary>The directories (.NET counts a link to one among them: removing it removes the
    /// link) or the other items, listed when the enumeration starts.</summary>
    static IEnumerable<UnionEntry> ListedForRemoval(IUnionFileSystem fs, string union, bool directories)
    {
        // An iterator: the listing is taken when the walk reaches it, not when it is asked for.
        var listed = fs.ReadDir(union)
            .Where(c => (c.IsDirectory || ContainerEntry(fs, OverlayPath.UnionChild(union, c.Name)) is not null) == directories)
            .ToList();
        foreach (var c in listed)
            yield return c;
    }

    /// <summary>Items removed so far, shown on the bar at most every ProgressTicker interval.</summary>
    sealed class RemovalCount(ProgressDisplay bar)
    {
        readonly ProgressTicker _ticker = new(ProgressTicker.DefaultInterval);
        long _items;

        public void One(string psPath)
        {
            _items++;
            if (_ticker.Due())
                bar.Show(new TransferProgress(_items, 0, psPath, _ticker.Elapsed));
        }
    }

    /// <summary>The FileSystem provider removes hidden items only with -Force.</summary>
    bool RefusedAsHidden(string name, string psPath)
    {
        if (Force || !IsHidden(name))
            return false;
        WriteError(ErrorRecords.HiddenItemNeedsForce(psPath));
        return true;
    }

    /// <summary>...and read-only ones only with -Force, which clears the write-protection
    /// first: as the name is gone afterwards, the drive just deletes. A link to a file is judged
    /// as .NET's Attributes judge it (seen over a kernel mount): the target's mode bits, the
    /// link's own owner and group; -Force then changes the target's mode (chmod follows the
    /// link), which stays. A link to a directory or a dangling one is never refused.</summary>
    bool RefusedAsReadOnly(OverlayDriveInfo drive, Core.Union.UnionEntry e, string psPath)
    {
        var judged = e;
        var judgedStat = e.Stat;
        if (e.Kind == FileKind.Symlink)
        {
            judged = FollowedEntry(drive.Union, e.Path);
            if (judged is null || judged.IsDirectory)
                return false;
            judgedStat = judged.Stat with { Uid = e.Stat.Uid, Gid = e.Stat.Gid };
        }
        if (!UnixAttributes.IsReadOnly(judgedStat))
            return false;
        if (Force)
        {
            // -Force clears the attribute before deleting (a chmod: another name of the same
            // inode keeps the new mode, and a lower file is copied up for it). .NET calls chmod
            // only for a mode that changes (0644 judged read-only by its group bits stays: seed
            // 520), so nothing is copied up then.
            var mode = UnixAttributes.ModeAfter(judged.Stat.Mode, 0);
            if (mode != judged.Stat.Mode)
                drive.Union.Chmod(judged.Path, mode);
            return false;
        }
        WriteError(ErrorRecords.ReadOnlyItemNeedsForce(psPath, ModeString.Format(judged.Kind, judged.Stat.Mode)));
        return true;
    }
}
