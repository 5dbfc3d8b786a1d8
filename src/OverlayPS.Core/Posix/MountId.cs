using System.Runtime.InteropServices;

namespace OverlayPS.Core.Posix;

/// <summary>
/// statx(2) asked only for STATX_MNT_ID (Linux 5.8+): the id of the mount a path is reached
/// through, the same number as the first field of /proc/self/mountinfo. It answers "which
/// mount holds this path" exactly, where comparing path prefixes is fooled by mounts stacked
/// over a parent.
/// </summary>
public static partial class MountId
{
    const uint STATX_MNT_ID = 0x1000;
    const int AT_FDCWD = -100;
    const int StatxSize = 256;
    const int MaskOffset = 0;
    const int MntIdOffset = 0x90;   // struct statx: stx_mnt_id

    /// <summary>The mount id, or null when the kernel or C library cannot say (older than
    /// Linux 5.8 / glibc 2.28); a path that cannot be reached throws.</summary>
    public static int? Of(string path)
    {
        var buf = new byte[StatxSize];
        int rc;
        try { rc = statx(AT_FDCWD, path, 0, STATX_MNT_ID, buf); }
        catch (EntryPointNotFoundException) { return null; }
        if (rc != 0)
        {
            var errno = AtCalls.LastErrno;
            if (errno == Errno.ENOSYS)
                return null;
            throw new PosixException(errno, path, "statx");
        }
        uint mask = BitConverter.ToUInt32(buf, MaskOffset);
        if ((mask & STATX_MNT_ID) == 0)
            return null;
        return (int)BitConverter.ToUInt64(buf, MntIdOffset);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirFd, string path, int flags, uint mask, byte[] buf);
}
