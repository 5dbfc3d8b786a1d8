using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// Puts a node in the upper layer and returns where it is there: parents first, each with its
    /// own metadata (ovl_copy_up_flags walks from the topmost missing ancestor down). Each
    /// object is built in the work dir (data, owner, xattrs, mode, times) and renamed into
    /// place with RENAME_NOREPLACE, so a crash leaves either nothing in upper or a complete
    /// copy, and of two processes copying the same file the first rename wins and the other
    /// discards its copy. The upper parent's times are restored afterwards, as the kernel does
    /// (ovl_set_timestamps on the parent in ovl_copy_up_end), so a copy-up is invisible there.
    /// </summary>
    /// <param name="withData">False when the caller truncates to zero at once (open with
    /// O_TRUNC, truncate to 0): the end state is the same, the copy is skipped.</param>
    internal LayerEntry CopyUp(UnionNode node, bool withData = true, bool dataNeeded = true)
    {
        if (node.Layer.IsUpper)
        {
            if (node.Data is { } data && dataNeeded)
                CompleteMetacopy(node, data, withData);
            return node.Location;
        }
        var parent = node.Parent ?? throw new InvalidOperationException("The root is always in upper.");
        var upperParent = CopyUpDir(parent);
        if (upperParent.TryStat(node.Name, out _))
            return new(upperParent, node.Name);     // copied up since this node was resolved
        var pstat = upperParent.StatSelf();
        // ovl_do_copy_up marks the upper parent impure first: it may now hold an entry that
        // is not purely upper (its readdir then looks such entries up).
        if (upperParent.GetXattr("", _impureXattr) is null)
            upperParent.SetXattr("", _impureXattr, "y");
        var work = _work!.Dir;
        string temp = _work.NewTempName();
        // metacopy=on (ovl_need_meta_copy_up): a metadata change of a regular file copies up
        // its metadata only; its data stays below until a write.
        bool metaOnly = !dataNeeded && _options.MetaCopy && node.Stat.IsRegular;
        try
        {
            BuildCopy(node, work, temp, withData && !metaOnly);
            if (metaOnly)
                work.SetXattr(temp, _metacopyXattr, Array.Empty<byte>());
            if (!DirHandle.TryRenameNoReplace(work, temp, upperParent, node.Name))
                WorkDir.RemoveTree(work, temp);     // another process copied it up first
        }
        catch
        {
            WorkDir.RemoveTree(work, temp);
            throw;
        }
        upperParent.SetTimes("", pstat.ATime, pstat.MTime);
        return new(upperParent, node.Name);
    }

    /// <summary>A directory's upper copy, held: copied up first when it has none.</summary>
    internal DirHandle CopyUpDir(UnionNode dir)
    {
        if (dir.Layer.IsUpper)
            return dir.Dirs![0].Dir;
        var up = CopyUp(dir);
        return up.Dir.OpenDir(up.Name);
    }

    void BuildCopy(UnionNode node, DirHandle work, string temp, bool withData)
    {
        var st = node.Stat;
        var (from, name) = node.Location;
        switch (st.Kind)
        {
            case FileKind.Directory:
                work.Mkdir(temp, 0);
                break;
            case FileKind.Regular:
                // O_NONBLOCK: a name swapped for a fifo since the lookup must not hang the copy.
                // A metacopy file's data is where its Data says (the metadata is still its own).
                var data = node.DataLocation;
                using (var src = data.Dir.OpenFile(data.Name, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK))
                using (var dst = work.OpenFile(temp, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0x180))
                {
                    if (!OpenFiles.FStat(src, node.RealPath).IsRegular)
                        throw Error(Errno.EIO, node.Path, "copy-up");
                    if (withData)
                        DataCopy.Copy(src, dst, st.Size, node.RealPath, CopyUpProgress.For(node.Path));
                    else if (_options.MetaCopy)
                        OpenFiles.Truncate(dst, st.Size, temp);     // a metacopy: sparse, full size
                    // The kernel syncs copied-up data unless mounted "volatile" (ovl_should_sync).
                    OpenFiles.Fsync(dst, temp);
                }
                break;
            case FileKind.Symlink:
                work.Symlink(from.ReadLink(name), temp);
                break;
            case FileKind.Fifo or FileKind.CharDevice or FileKind.BlockDevice or FileKind.Socket:
                work.MkNod(temp, st.Kind, 0, st.RDev);
                break;
            default:
                throw Error(Errno.EIO, node.Path, "copy-up");
        }
        // ovl_copy_up_metadata: the origin first, then the attributes. ovl_set_origin_fh
        // ignores EPERM: user.* xattrs are refused on symlinks and special files (userxattr).
        if (Origin.For(from, name, st, node.Layer) is { } origin)
        {
            try { work.SetXattr(temp, _originXattr, origin); }
            catch (PosixException e) when (e.Errno is Errno.EPERM or Errno.EOPNOTSUPP) { }
        }
        CopyMetadata(from, name, work, temp, st);
    }

    /// <summary>
    /// A write to an upper file that holds only metadata: its data is copied in from the lower
    /// file first and the mark removed (ovl_copy_up_meta_inode_data). The times are kept, as
    /// the data copy is not a change of the file.
    /// </summary>
    void CompleteMetacopy(UnionNode node, LayerEntry data, bool withData)
    {
        var (dir, name) = node.Location;
        var st = dir.Stat(name);
        using (var src = data.Dir.OpenFile(data.Name, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK))
        using (var dst = dir.OpenFile(name, OpenFlags.O_WRONLY))
        {
            if (withData)
                DataCopy.Copy(src, dst, st.Size, node.RealPath, CopyUpProgress.For(node.Path));
            OpenFiles.Fsync(dst, node.RealPath);
        }
        dir.RemoveXattr(name, _metacopyXattr, mustExist: false);
        dir.SetTimes(name, st.ATime, st.MTime);
    }

    /// <summary>
    /// Owner, xattrs, mode, times - in that order in userspace: chown(2) clears setuid/setgid
    /// and file capabilities, so it goes first (the kernel's notify_change path does not clear
    /// them, which this order reproduces). The overlay's own xattrs are never copied
    /// (ovl_copy_xattr skips ovl_is_private_xattr).
    /// </summary>
    void CopyMetadata(DirHandle fromDir, string fromName, DirHandle toDir, string toName, FileStat st)
    {
        if (Files.IsRoot || st.Uid != Files.CurrentUid || st.Gid != Files.CurrentGid)
            toDir.Chown(toName, st.Uid, st.Gid);
        foreach (var name in fromDir.ListXattrs(fromName))
        {
            if (IsPrivateXattr(name))
                continue;
            var value = fromDir.GetXattr(fromName, name);
            if (value is null)
                continue;
            try { toDir.SetXattr(toName, name, value); }
            catch (PosixException e) when (st.IsSymlink && e.Errno is Errno.EPERM or Errno.EOPNOTSUPP) { }
        }
        if (!st.IsSymlink)
            toDir.Chmod(toName, st.Mode);
        toDir.SetTimes(toName, st.ATime, st.MTime);
    }
}
