using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// What the kernel's overlay records as a copied-up object's origin: the lower inode's file
/// handle (name_to_handle_at, as exportfs encodes it) and its filesystem's uuid.
/// </summary>
public sealed partial class DirHandle
{
    const int MaxHandleBytes = 128;     // MAX_HANDLE_SZ

    /// <summary>The file handle of an entry (not followed): its type and bytes, or null when
    /// the filesystem cannot make one (EOPNOTSUPP, EOVERFLOW).</summary>
    public unsafe (int Type, byte[] Bytes)? FileHandle(string name)
    {
        RequireComponent(name);
        var z = FileNames.EncodeZ(name);
        // struct file_handle { u32 handle_bytes; s32 handle_type; u8 f_handle[]; }
        byte* buf = stackalloc byte[8 + MaxHandleBytes];
        *(uint*)buf = MaxHandleBytes;
        int mountId;
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            if (AtCalls.name_to_handle_at(fd, p, buf, &mountId, 0) != 0)
            {
                var errno = AtCalls.LastErrno;
                if (errno is Errno.EOPNOTSUPP or Errno.EOVERFLOW)
                    return null;
                throw new PosixException(errno, Describe(name), "name_to_handle_at");
            }
        }
        int bytes = (int)*(uint*)buf;
        return (*(int*)(buf + 4), new ReadOnlySpan<byte>(buf + 8, bytes).ToArray());
    }

    /// <summary>The uuid of the filesystem this directory is on (FS_IOC_GETFSUUID); sixteen
    /// zero bytes when it has none or the kernel cannot say (before 6.5), which is what the
    /// kernel then stores too.</summary>
    public unsafe byte[] FilesystemUuid()
    {
        byte* buf = stackalloc byte[17];
        using var lease = Lease(out int fd);
        if (_pathOnly || AtCalls.ioctl(fd, AtCalls.FsIocGetFsUuid, buf) != 0 || buf[0] != 16)
            return new byte[16];
        return new ReadOnlySpan<byte>(buf + 1, 16).ToArray();
    }
}
