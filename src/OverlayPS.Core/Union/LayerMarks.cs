using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// How a layer says "this name is gone" or "nothing below this directory shows", in one place
/// for the engine and for every store view (overlayfs.rst "whiteouts and opaque directories";
/// OCI image-spec layer.md for the <c>.wh.</c> forms): the kernel's char device 0/0, the xattr
/// whiteout (an empty regular file with <c>overlay.whiteout</c>, kernel 6.7+), opaque
/// <c>overlay.opaque=y</c>, and, when asked for, OCI's <c>.wh.&lt;name&gt;</c> and
/// <c>.wh..wh..opq</c> marker files. Marks are read without following a link.
/// </summary>
public static class LayerMarks
{
    public const string OciPrefix = ".wh.";
    public const string OciOpaque = ".wh..wh..opq";

    // A store layer seen alone does not say which namespace wrote it: dockerd and rootful
    // podman write trusted.*, rootless ones (userxattr) user.*.
    static readonly string[] Namespaces = { "trusted.", "user." };

    public static bool IsOciMarker(string name) => name.StartsWith(OciPrefix, StringComparison.Ordinal);

    /// <summary>
    /// An overlay mark (opaque, whiteout, redirect...) of a layer entry, or null. As in the
    /// kernel's ovl_path_check_dir_xattr and ovl_path_check_xwhiteout_xattr, a mark that cannot
    /// be read counts as absent: a user.* xattr of an entry the reader may not read fails with
    /// EACCES, and that entry must still be listed and looked up (its contents then fail with
    /// EACCES when opened), not make its whole parent unreadable.
    /// </summary>
    /// <param name="entry">A name in <paramref name="dir"/>, or "" for the directory itself.</param>
    public static byte[]? Mark(DirHandle dir, string entry, string xattr)
    {
        try { return dir.GetXattr(entry, xattr); }
        catch (PosixException e) when (e.Errno is Errno.EACCES or Errno.EPERM or Errno.ENOENT) { return null; }
    }

    /// <summary>
    /// The xattr whiteout test of ovl_path_check_xwhiteout_xattr: only an empty regular file
    /// can be one, so the getxattr is paid only for those.
    /// </summary>
    public static bool IsXattrWhiteout(in FileStat st, DirHandle dir, string entry, string whiteoutXattr) =>
        st.IsRegular && st.Size == 0 && Mark(dir, entry, whiteoutXattr) is not null;

    /// <summary>overlay.opaque=y under <paramref name="xattr"/>.</summary>
    public static bool IsOpaque(DirHandle dir, string entry, string xattr) =>
        Mark(dir, entry, xattr) is { Length: 1 } v && v[0] == (byte)'y';

    /// <summary>A whiteout in a layer of either xattr namespace: char 0/0, or an xattr whiteout.</summary>
    public static bool IsWhiteoutInAnyNamespace(DirHandle dir, string name, in FileStat st)
    {
        if (st.IsCharDevice00)
            return true;
        foreach (var ns in Namespaces)
            if (IsXattrWhiteout(st, dir, name, ns + "overlay.whiteout"))
                return true;
        return false;
    }

    /// <summary>overlay.opaque=y in either xattr namespace ("" = the dir itself).</summary>
    public static bool IsOpaqueInAnyNamespace(DirHandle dir, string name)
    {
        foreach (var ns in Namespaces)
            if (IsOpaque(dir, name, ns + "overlay.opaque"))
                return true;
        return false;
    }
}
