using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// The directory a write acts in and the last name of the path (for create, remove,
    /// rename): the directory is resolved following symlinks, the last name is not. A last
    /// name of ".", ".." or none (the root) gets the errno each call gives for it in the VFS
    /// (do_rmdir: EINVAL/ENOTEMPTY/EBUSY, do_unlinkat: EISDIR, filename_create: EEXIST,
    /// do_renameat2: EBUSY), after the directory itself was found.
    /// </summary>
    internal (UnionNode Parent, string Name) ResolveParent(string path, string operation,
        Errno dot = Errno.EINVAL, Errno dotDot = Errno.EINVAL, Errno root = Errno.EBUSY, UnionNode? start = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireNoNul(path, path, operation);
        var trimmed = path.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        string parentPath = slash < 0 ? "." : slash == 0 ? "/" : trimmed[..slash];
        string name = trimmed[(slash + 1)..];
        if (name.Length == 0)
            throw Error(root, path, operation);
        var parent = Resolve(parentPath, followFinal: true, operation, start);
        if (!parent.IsDirectory)
            throw Error(Errno.ENOTDIR, path, operation);
        if (name == ".")
            throw Error(dot, path, operation);
        if (name == "..")
            throw Error(dotDot, path, operation);
        return (parent, name);
    }

    /// <summary>
    /// A name or symlink target holding a NUL cannot reach the kernel (a C string ends there):
    /// the marshalled path would silently lose it and name another file ("a\0b" became "ab").
    /// EINVAL instead, as .NET's own file APIs refuse such paths.
    /// </summary>
    static void RequireNoNul(string text, string path, string operation)
    {
        if (text.Contains('\0'))
            throw Error(Errno.EINVAL, path, operation);
    }

    void RequireUpper(string path, string operation)
    {
        if (_upper is null)
            throw Error(Errno.EROFS, path, operation);
    }

    /// <summary>Is there a whiteout in upper at this name (a "negative opaque" dentry)?</summary>
    bool UpperWhiteoutAt(UnionNode parent, string name)
    {
        if (parent.Dirs is not { Length: > 0 } hits || !hits[0].Layer.IsUpper)
            return false;
        return hits[0].Dir.TryStat(name, out var st) && IsWhiteout(st, hits[0].Dir, name, hits[0].Layer);
    }

    bool IsWhiteout(in FileStat st, DirHandle dir, string name, UnionLayer layer) =>
        st.IsCharDevice00 || (layer.HasXWhiteouts && LayerMarks.IsXattrWhiteout(st, dir, name, _whiteoutXattr));

    /// <summary>
    /// ovl_lower_positive: does a lower layer of the parent hold this name (so removing or
    /// moving it away must leave a whiteout)? A name hidden by an upper whiteout counts as
    /// positive; a positive name not in upper is positive; otherwise the parent's lowers are
    /// searched and the first one holding the name decides (a whiteout there means no).
    /// </summary>
    bool LowerPositive(UnionNode parent, string name, UnionNode? child)
    {
        if (child is null)
            return UpperWhiteoutAt(parent, name);
        if (!child.Layer.IsUpper)
            return true;
        foreach (var h in parent.Dirs!)
        {
            if (h.Layer.IsUpper)
                continue;
            if (h.Dir.TryStat(name, out var st))
                return !IsWhiteout(st, h.Dir, name, h.Layer) && !(_options.OciWhiteouts && LayerMarks.IsOciMarker(name));
            if (_options.OciWhiteouts && h.Dir.TryStat(LayerMarks.OciPrefix + name, out _))
                return false;
        }
        return false;
    }

    /// <summary>
    /// Creates one new name in upper. Over a whiteout the object is made in the work dir and
    /// swapped in (ovl_create_over_whiteout), and a new directory there is marked opaque so the
    /// lower directory it replaces stays hidden; elsewhere it is made in place (ovl_create_upper).
    /// </summary>
    T CreateInUpper<T>(UnionNode parent, string name, bool isDir, Func<DirHandle, string, T> make, bool isHardLink = false)
    {
        bool overWhiteout = UpperWhiteoutAt(parent, name);
        var upperDir = CopyUpDir(parent);
        if (!overWhiteout)
        {
            var created = make(upperDir, name);
            // With redirect_dir=on the kernel marks a new directory in a merged parent opaque
            // (ovl_create_upper), so no lower directory redirected to that name shows in it.
            if (isDir && _options.RedirectDir && Array.Exists(parent.Dirs!, h => !h.Layer.IsUpper))
                upperDir.SetXattr(name, _opaqueXattr, "y");
            return created;
        }
        var work = _work!.Dir;
        string temp = _work.NewTempName();
        T made = make(work, temp);
        try
        {
            if (!isHardLink)                        // a new name for an old inode changes nothing of it
                InheritSetgid(upperDir, work, temp, isDir);
            if (isDir)
            {
                work.SetXattr(temp, _opaqueXattr, "y");
                DirHandle.Rename(work, temp, upperDir, name, DirHandle.RenameExchange);
                work.Unlink(temp);                  // the whiteout, swapped out
            }
            else
                DirHandle.Rename(work, temp, upperDir, name);   // replaces the whiteout in one step
        }
        catch
        {
            (made as IDisposable)?.Dispose();
            WorkDir.RemoveTree(work, temp);
            throw;
        }
        return made;
    }

    /// <summary>The parent and the name's current node; EEXIST when the name is taken.</summary>
    (UnionNode Parent, string Name) ParentForCreate(string path, string operation)
    {
        // The order of the VFS (filename_create): a missing parent, then a taken name, and
        // only then a read-only mount.
        var (parent, name) = ResolveParent(path, operation, Errno.EEXIST, Errno.EEXIST, Errno.EEXIST);
        if (LookupChild(parent, name) is not null)
            throw Error(Errno.EEXIST, path, operation);
        RequireUpper(path, operation);
        return (parent, name);
    }

    /// <summary>
    /// What creating in place would have given: in a setgid directory a new entry takes the
    /// directory's group and a new directory keeps S_ISGID (the kernel creates it as if there).
    /// Needed because the object was made in the work dir, which is not setgid.
    /// </summary>
    static void InheritSetgid(DirHandle upperDir, DirHandle work, string made, bool isDir)
    {
        var dir = upperDir.StatSelf();
        if ((dir.Mode & 0x400) == 0)
            return;
        var st = work.Stat(made);
        if (st.Gid != dir.Gid)
            work.Chown(made, st.Uid, dir.Gid);      // clears S_ISUID/S_ISGID of a file: restored below
        uint mode = isDir ? st.Mode | 0x400 : st.Mode;
        if (!st.IsSymlink && (mode != st.Mode || st.Gid != dir.Gid))
            work.Chmod(made, mode);
    }
}
