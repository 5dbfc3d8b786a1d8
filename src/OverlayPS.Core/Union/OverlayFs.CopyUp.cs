using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// Puts a node in the upper layer and returns its upper path: parents first, each with its
    /// own metadata (ovl_copy_up_flags walks from the topmost missing ancestor down). Each
    /// object is built in the work dir (data, owner, xattrs, mode, times) and renamed into
    /// place with RENAME_NOREPLACE, so a crash leaves either nothing in upper or a complete
    /// copy, and of two processes copying the same file the first rename wins and the other
    /// discards its copy. The upper parent's times are restored afterwards, as the kernel does
    /// (ovl_set_timestamps on the parent in ovl_copy_up_end), so a copy-up is invisible there.
    /// </summary>
    /// <param name="withData">False when the caller truncates to zero at once (open with
    /// O_TRUNC, truncate to 0): the end state is the same, the copy is skipped.</param>
    internal string CopyUp(UnionNode node, bool withData = true)
    {
        if (node.Layer.IsUpper)
            return node.RealPath;
        var parent = node.Parent ?? throw new InvalidOperationException("The root is always in upper.");
        string upperParent = CopyUp(parent);
        string target = upperParent + "/" + node.Name;
        if (Files.TryLStat(target, out _))
            return target;                          // copied up since this node was resolved
        var pstat = Files.LStat(upperParent);
        string temp = _work!.NewTempPath();
        try
        {
            BuildCopy(node, temp, withData);
            if (!Renames.TryRenameNoReplace(temp, target))
                WorkDir.RemoveHostTree(temp);       // another process copied it up first
        }
        catch
        {
            WorkDir.RemoveHostTree(temp);
            throw;
        }
        Files.LUTimes(upperParent, pstat.ATime, pstat.MTime);
        return target;
    }

    void BuildCopy(UnionNode node, string temp, bool withData)
    {
        var st = node.Stat;
        switch (st.Kind)
        {
            case FileKind.Directory:
                Files.Mkdir(temp, 0);
                break;
            case FileKind.Regular:
                using (var src = OpenFiles.Open(node.RealPath, OpenFlags.O_RDONLY))
                using (var dst = OpenFiles.Open(temp, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0x180))
                {
                    if (withData)
                        DataCopy.Copy(src, dst, st.Size, node.RealPath);
                    // The kernel syncs copied-up data unless mounted "volatile" (ovl_should_sync).
                    OpenFiles.Fsync(dst, temp);
                }
                break;
            case FileKind.Symlink:
                Files.Symlink(Files.ReadLink(node.RealPath), temp);
                break;
            case FileKind.Fifo or FileKind.CharDevice or FileKind.BlockDevice or FileKind.Socket:
                Files.MkNod(temp, st.Kind, 0, st.RDev);
                break;
            default:
                throw Error(Errno.EIO, node.Path, "copy-up");
        }
        CopyMetadata(node.RealPath, temp, st);
    }

    /// <summary>
    /// Owner, xattrs, mode, times - in that order in userspace: chown(2) clears setuid/setgid
    /// and file capabilities, so it goes first (the kernel's notify_change path does not clear
    /// them, which this order reproduces). The overlay's own xattrs are never copied
    /// (ovl_copy_xattr skips ovl_is_private_xattr).
    /// </summary>
    void CopyMetadata(string from, string to, FileStat st)
    {
        if (Files.IsRoot || st.Uid != Files.CurrentUid || st.Gid != Files.CurrentGid)
            Files.LChown(to, st.Uid, st.Gid);
        foreach (var name in Xattrs.List(from))
        {
            if (IsPrivateXattr(name))
                continue;
            var value = Xattrs.Get(from, name);
            if (value is null)
                continue;
            try { Xattrs.Set(to, name, value); }
            catch (PosixException e) when (st.IsSymlink && e.Errno is Errno.EPERM or Errno.EOPNOTSUPP) { }
        }
        if (!st.IsSymlink)
            Files.Chmod(to, st.Mode);
        Files.LUTimes(to, st.ATime, st.MTime);
    }
}
