using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>
/// The markers a layer dir uses to hide lower content (overlayfs.rst "whiteouts and opaque
/// directories"; OCI image-spec layer.md for the .wh. forms). Both the trusted.* (root mounts,
/// what dockerd uses) and user.* (userxattr, rootless) xattr namespaces are recognised.
/// </summary>
public static class LayerMarkers
{
    public const string OciPrefix = ".wh.";
    public const string OciOpaque = ".wh..wh..opq";
    static readonly string[] Prefixes = { "trusted.", "user." };

    /// <summary>char 0/0, or (kernel 6.7+ form) a zero-size regular file with overlay.whiteout.</summary>
    public static bool IsWhiteout(string path, in FileStat st)
    {
        if (st.IsCharDevice00)
            return true;
        if (st.IsRegular && st.Size == 0)
            foreach (var p in Prefixes)
                if (Xattrs.Get(path, p + "overlay.whiteout") is not null)
                    return true;
        return false;
    }

    public static bool IsOpaque(string dir)
    {
        foreach (var p in Prefixes)
            if (Xattrs.GetString(dir, p + "overlay.opaque") == "y")
                return true;
        return false;
    }
}
