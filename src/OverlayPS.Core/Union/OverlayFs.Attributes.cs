using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    // Every metadata change copies up first (metacopy=off: data too), then changes the upper
    // copy (ovl_setattr, ovl_xattr_set). The path is resolved before EROFS is reported, as
    // the VFS does.

    /// <summary>truncate(2): follows a final symlink.</summary>
    public void Truncate(string path, long length)
    {
        using var write = BeginWrite();
        var node = Resolve(path, followFinal: true, "truncate");
        if (node.IsDirectory)
            throw Error(Errno.EISDIR, path, "truncate");
        if (!node.Stat.IsRegular)
            throw Error(Errno.EINVAL, path, "truncate");
        if (length < 0)
            throw Error(Errno.EINVAL, path, "truncate");
        RequireUpper(path, "truncate");
        var up = CopyUp(node, withData: length != 0);
        up.Dir.Truncate(up.Name, length);
    }

    /// <summary>fchmodat(AT_SYMLINK_NOFOLLOW): a final symlink is not followed, and Linux
    /// has no mode on symlinks, so that is EOPNOTSUPP (before any copy-up).</summary>
    public void Chmod(string path, uint mode)
    {
        using var write = BeginWrite();
        var node = Resolve(path, followFinal: false, "chmod");
        RequireUpper(path, "chmod");
        if (node.Stat.IsSymlink)
            throw Error(Errno.EOPNOTSUPP, path, "chmod");
        var up = CopyUp(node, dataNeeded: false);
        up.Dir.Chmod(up.Name, mode);
    }

    /// <summary>lchown(2): a final symlink is changed itself.</summary>
    public void Chown(string path, uint uid, uint gid)
    {
        using var write = BeginWrite();
        var node = Resolve(path, followFinal: false, "chown");
        RequireUpper(path, "chown");
        var up = CopyUp(node, dataNeeded: false);
        up.Dir.Chown(up.Name, uid, gid);
    }

    /// <summary>utimensat(AT_SYMLINK_NOFOLLOW): a final symlink is changed itself.</summary>
    public void SetTimes(string path, PosixTime atime, PosixTime mtime)
    {
        using var write = BeginWrite();
        var node = Resolve(path, followFinal: false, "utimensat");
        RequireUpper(path, "utimensat");
        var up = CopyUp(node, dataNeeded: false);
        up.Dir.SetTimes(up.Name, atime, mtime);
    }

    /// <summary>lsetxattr(2). A name in the overlay's own namespace is stored escaped.</summary>
    public void SetXattr(string path, string name, byte[] value)
    {
        using var write = BeginWrite();
        var node = Resolve(path, followFinal: false, "setxattr");
        RequireUpper(path, "setxattr");
        RequireUserXattrAllowed(node, name, path, "setxattr");
        var up = CopyUp(node, dataNeeded: false);
        up.Dir.SetXattr(up.Name, EscapeXattr(name), value);
    }

    /// <summary>lremovexattr(2): ENODATA when absent, checked before any copy-up
    /// (ovl_xattr_set looks at the lower copy first).</summary>
    public void RemoveXattr(string path, string name)
    {
        using var write = BeginWrite();
        var node = Resolve(path, followFinal: false, "removexattr");
        RequireUpper(path, "removexattr");
        RequireUserXattrAllowed(node, name, path, "removexattr");
        var real = EscapeXattr(name);
        var at = node.Location;
        if (!node.Layer.IsUpper && at.Dir.GetXattr(at.Name, real) is null)
            throw Error(Errno.ENODATA, path, "removexattr");
        var up = CopyUp(node, dataNeeded: false);
        up.Dir.RemoveXattr(up.Name, real, mustExist: true);
    }

    /// <summary>The VFS's xattr_permission: user.* only on regular files and directories
    /// (EPERM for a write elsewhere), checked before overlayfs copies anything up.</summary>
    static void RequireUserXattrAllowed(UnionNode node, string name, string path, string operation)
    {
        if (name.StartsWith("user.", StringComparison.Ordinal) && !node.Stat.IsRegular && !node.IsDirectory)
            throw Error(Errno.EPERM, path, operation);
    }
}
