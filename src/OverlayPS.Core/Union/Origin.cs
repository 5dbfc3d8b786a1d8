using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// The <c>overlay.origin</c> a copy-up leaves on the upper copy (ovl_encode_real_fh, ovl_get_origin_fh):
/// the lower inode's file handle in a <c>struct ovl_fb</c> { u8 version 0; u8 magic 0xfb; u8 len;
/// u8 flags; u8 type; uuid_t uuid; fid[] }. With it a kernel mount reports the lower inode's
/// number for the copied-up file, as if the kernel had copied it up itself. An empty value means
/// "copied up, origin unknown" (the lower filesystem cannot make file handles).
/// </summary>
internal static class Origin
{
    const byte Version = 0, Magic = 0xfb;
    const byte FlagBigEndian = 1;           // OVL_FH_FLAG_BIG_ENDIAN: set only on big-endian CPUs
    const int HeaderBytes = 21;             // sizeof(struct ovl_fb) without fid

    /// <summary>The value for an entry of a lower layer: ovl_do_copy_up stores one for a
    /// directory or a file with a single link (a hard-linked one only with index=on).</summary>
    public static byte[]? For(DirHandle dir, string name, in FileStat st, UnionLayer layer)
    {
        if (!st.IsDirectory && st.NLink != 1)
            return null;
        var fh = dir.FileHandle(name);
        if (fh is not { } h)
            return Array.Empty<byte>();
        var value = new byte[HeaderBytes + h.Bytes.Length];
        value[0] = Version;
        value[1] = Magic;
        value[2] = (byte)value.Length;
        value[3] = BitConverter.IsLittleEndian ? (byte)0 : FlagBigEndian;
        value[4] = (byte)h.Type;
        layer.FilesystemUuid.CopyTo(value, 5);
        h.Bytes.CopyTo(value, HeaderBytes);
        return value;
    }
}
