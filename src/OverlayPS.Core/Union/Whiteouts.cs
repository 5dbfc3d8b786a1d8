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
    public static bool IsXattrWhiteout(in FileStat st, string realPath, string whiteoutXattr) =>
        st.IsRegular && st.Size == 0 && Xattrs.Get(realPath, whiteoutXattr) is not null;

    public static bool IsOciMarker(string name) => name.StartsWith(OciPrefix, StringComparison.Ordinal);
}
