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
            if ((!src.Layer.IsUpper || src.IsMerged) && !_options.RedirectDir)
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

        var srcUpper = CopyUp(src, dataNeeded: false);     // ovl_rename: a metacopy may do
        var dstUpperDir = CopyUpDir(toParent);

        if (dst is { IsDirectory: true } && dst.IsMerged && dst.Layer.IsUpper && !ClearWhiteouts(dst.Container!, toName))
        {
            // An empty-looking upper dir holds only whiteouts, cleared above so the rename over
            // it succeeds (ovl_clear_empty builds a clean one; the result is the same); anything
            // else there arrived after the emptiness check.
            throw Error(Errno.ENOTEMPTY, toPath, "rename");
        }
        bool samedir = fromParent.Path == toParent.Path;
        if (src.IsDirectory ? !src.Layer.IsUpper || src.IsMerged : src.Data is not null)
        {
            SetRedirect(src, srcUpper, samedir);    // redirect_dir=on (or a metacopy file)
            // ovl_rename marks the new parent impure: it now holds an entry that merges with
            // lower content, which its readdir has to look up (see ReadReal).
            if (!samedir)
                dstUpperDir.SetXattr("", _impureXattr, "y");
        }
        else if (src.IsDirectory && toParentMerges && !src.Opaque)
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

    /// <summary>
    /// ovl_set_redirect: a directory with lower content (or a metacopy file, whose data stays
    /// below) keeps finding it after a move by the redirect on its upper copy: its old name when
    /// it stays in its directory, else the absolute path it had, built from its ancestors' names
    /// or their own redirects (ovl_get_redirect). A redirect already set stays when it still
    /// holds (an absolute one always; a relative one within the same directory).
    /// </summary>
    void SetRedirect(UnionNode src, LayerEntry srcUpper, bool samedir)
    {
        var existing = RedirectOf(srcUpper.Dir, srcUpper.Name);
        if (existing is { Length: > 0 } && (samedir || existing[0] == (byte)'/'))
            return;
        string value = samedir ? src.Name : AbsoluteRedirect(src);
        srcUpper.Dir.SetXattr(srcUpper.Name, _redirectXattr, FileNames.Encode(value));
    }

    /// <summary>The path a node had in the layers below, from the root: each ancestor's own
    /// redirect where it has one (an absolute one ends the walk), else its name.</summary>
    string AbsoluteRedirect(UnionNode node)
    {
        var parts = new List<string>();
        for (var d = node; d.Parent is not null; d = d.Parent)
        {
            var upperParent = CopyUpDir(d.Parent);
            var r = upperParent.TryStat(d.Name, out _) ? RedirectOf(upperParent, d.Name) : null;
            var part = r is { Length: > 0 } ? FileNames.Decode(r) : d.Name;
            parts.Add(part);
            if (part[0] == '/')
                break;
        }
        parts.Reverse();
        var joined = string.Join('/', parts);
        return joined[0] == '/' ? joined : "/" + joined;
    }
}
