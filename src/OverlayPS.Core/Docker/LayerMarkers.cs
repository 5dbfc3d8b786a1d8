using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>
/// The markers a layer dir uses to hide lower content (overlayfs.rst "whiteouts and opaque
/// directories"; OCI image-spec layer.md for the .wh. forms). Both the trusted.* (root mounts,
/// what dockerd uses) and user.* (userxattr, rootless) xattr namespaces are recognised. Entries
/// are named in a held directory and their xattrs read without following a link.
/// </summary>
public static class LayerMarkers
{
    public const string OciPrefix = ".wh.";
    public const string OciOpaque = ".wh..wh..opq";
    static readonly string[] Prefixes = { "trusted.", "user." };

    /// <summary>char 0/0, or (kernel 6.7+ form) a zero-size regular file with overlay.whiteout.</summary>
    public static bool IsWhiteout(DirHandle dir, string name, in FileStat st)
    {
        if (st.IsCharDevice00)
            return true;
        if (st.IsRegular && st.Size == 0)
            foreach (var p in Prefixes)
                if (dir.GetXattr(name, p + "overlay.whiteout") is not null)
                    return true;
        return false;
    }

    /// <summary>overlay.opaque=y on an entry of <paramref name="dir"/> ("" = the dir itself).</summary>
    public static bool IsOpaque(DirHandle dir, string name)
    {
        foreach (var p in Prefixes)
            if (dir.GetXattr(name, p + "overlay.opaque") is { } v && v.AsSpan().SequenceEqual("y"u8))
                return true;
        return false;
    }
}
