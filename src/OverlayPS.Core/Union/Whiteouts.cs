using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// The three ways a layer says "this name is gone": the kernel's char device 0/0, the xattr
/// form (an empty regular file with <c>overlay.whiteout</c>, kernel 6.7+), and, when asked
/// for, OCI's <c>.wh.&lt;name&gt;</c> marker files.
/// </summary>
internal static class Whiteouts
{
    public const string OciPrefix = ".wh.";
    public const string OciOpaque = ".wh..wh..opq";

    /// <summary>
    /// The xattr whiteout test of ovl_path_check_xwhiteout_xattr: only an empty regular file
    /// can be one, so the getxattr is paid only for those.
    /// </summary>
    public static bool IsXattrWhiteout(in FileStat st, DirHandle dir, string entry, string whiteoutXattr) =>
        st.IsRegular && st.Size == 0 && Mark(dir, entry, whiteoutXattr) is not null;

    /// <summary>
    /// An overlay mark (opaque, whiteout) of a layer entry, or null. As in the kernel's
    /// ovl_path_check_dir_xattr and ovl_path_check_xwhiteout_xattr, a mark that cannot be read
    /// counts as absent: a user.* xattr of a directory or file the reader has no read access to
    /// fails with EACCES, and that entry must still be listed and looked up (its contents then
    /// fail with EACCES when opened), not make its whole parent unreadable.
    /// </summary>
    /// <param name="entry">A name in <paramref name="dir"/>, or "" for the directory itself.</param>
    public static byte[]? Mark(DirHandle dir, string entry, string name)
    {
        try { return dir.GetXattr(entry, name); }
        catch (PosixException e) when (e.Errno is Errno.EACCES or Errno.EPERM
                                        or Errno.ENOENT) { return null; }
    }

    public static bool IsOciMarker(string name) => name.StartsWith(OciPrefix, StringComparison.Ordinal);
}
