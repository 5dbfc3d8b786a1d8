using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// rename(2) through the overlay, following ovl_rename (fs/overlayfs/dir.c) with the
    /// kernel defaults: the VFS checks first (EISDIR, ENOTDIR, EINVAL for a move into itself),
    /// then EXDEV for a directory that is not purely upper (redirect_dir=off: the caller is
    /// expected to copy the tree and delete the source, as mv does), then ENOTEMPTY for a
    /// non-empty target directory. The source is copied up, the target's parent too, and the
    /// object is renamed in upper; when lower content stays behind at the source, a whiteout
    /// takes its place in the same rename (RENAME_WHITEOUT). A directory that lands on a name
    /// with lower content is marked opaque so that content stays hidden.
    /// </summary>
    public void Rename(string fromPath, string toPath)
    {
        using var write = BeginWrite();
        var (fromParent, fromName) = ResolveParent(fromPath, "rename", Errno.EBUSY, Errno.EBUSY, Errno.EBUSY);
        var (toParent, toName) = ResolveParent(toPath, "rename", Errno.EBUSY, Errno.EBUSY, Errno.EBUSY);
        RequireUpper(fromPath, "rename");
        var src = LookupChild(fromParent, fromName) ?? throw Error(Errno.ENOENT, fromPath, "rename");
        var dst = LookupChild(toParent, toName);
        string srcPath = src.Path, dstPath = toParent.ChildPath(toName);

        if (srcPath == dstPath)
            return;
        // Two upper names of one inode: rename(2) does nothing. (Lower hard links are
        // distinct overlay inodes with index=off: the kernel does rename them.)
        if (dst is not null && !src.IsDirectory && !dst.IsDirectory && src.Layer.IsUpper && dst.Layer.IsUpper
            && src.Stat.Inode == dst.Stat.Inode && src.Stat.Device == dst.Stat.Device)
            return;
        // do_renameat2's lock_rename trap: a target that is an ancestor of the source, or a
        // source that is an ancestor of the target, before any type check.
        if (srcPath.StartsWith(dstPath + "/", StringComparison.Ordinal))
            throw Error(Errno.ENOTEMPTY, toPath, "rename");
        if (dstPath.StartsWith(srcPath + "/", StringComparison.Ordinal))
            throw Error(Errno.EINVAL, toPath, "rename");
        if (src.IsDirectory)
        {
            if (dst is not null && !dst.IsDirectory)
                throw Error(Errno.ENOTDIR, toPath, "rename");
            // ovl_can_move: only a purely upper directory can move without redirect_dir.
            if (!src.Layer.IsUpper || src.IsMerged)
                throw Error(Errno.EXDEV, fromPath, "rename");
        }
        else if (dst is not null && dst.IsDirectory)
            throw Error(Errno.EISDIR, toPath, "rename");
        // ovl_rename checks emptiness only for a target that is not purely upper; a purely
        // upper one fails in the real rename, after copy-up and the opaque mark (as the kernel).
        bool dstPureUpper = dst is not null && dst.Layer.IsUpper && !dst.IsMerged;
        if (dst is not null && dst.IsDirectory && !dstPureUpper && !IsEmptyInUnion(dst))
            throw Error(Errno.ENOTEMPTY, toPath, "rename");

        bool srcLowerPositive = LowerPositive(fromParent, fromName, src);
        // ovl_rename: a pure upper dir moved into a merge-type parent (one with lower
        // layers) is marked opaque, so whatever lower content has its new name stays hidden.
        bool toParentMerges = Array.Exists(toParent.Dirs!, h => !h.Layer.IsUpper);
        bool dstUpperWhiteout = dst is null && UpperWhiteoutAt(toParent, toName);

        var srcUpper = CopyUp(src);
        var dstUpperDir = CopyUpDir(toParent);

        if (dst is { IsDirectory: true } && dst.IsMerged && dst.Layer.IsUpper && !ClearWhiteouts(dst.Container!, toName))
        {
            // An empty-looking upper dir holds only whiteouts, cleared above so the rename over
            // it succeeds (ovl_clear_empty builds a clean one; the result is the same); anything
            // else there arrived after the emptiness check.
            throw Error(Errno.ENOTEMPTY, toPath, "rename");
        }
        if (src.IsDirectory && toParentMerges && !src.Opaque)
            srcUpper.Dir.SetXattr(srcUpper.Name, _opaqueXattr, "y");

        if (srcLowerPositive)
        {
            if (dstUpperWhiteout)
                DirHandle.Rename(srcUpper.Dir, srcUpper.Name, dstUpperDir, toName, DirHandle.RenameExchange);  // "switch whiteouts"
            else
                DirHandle.RenameLeavingWhiteout(srcUpper.Dir, srcUpper.Name, dstUpperDir, toName);
        }
        else if (dstUpperWhiteout && src.IsDirectory)
        {
            DirHandle.Rename(srcUpper.Dir, srcUpper.Name, dstUpperDir, toName, DirHandle.RenameExchange);
            srcUpper.Dir.Unlink(srcUpper.Name);                        // the whiteout, now here
        }
        else
            DirHandle.Rename(srcUpper.Dir, srcUpper.Name, dstUpperDir, toName);
    }
}
