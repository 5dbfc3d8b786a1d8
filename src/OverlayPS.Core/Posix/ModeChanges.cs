using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// chmod without following a final symlink, as the kernel itself answers it: fchmodat2(2)
/// (Linux 6.6+) with AT_SYMLINK_NOFOLLOW. glibc's fchmodat(AT_SYMLINK_NOFOLLOW) before 2.39
/// only emulates it and says EOPNOTSUPP for a symlink before the kernel is asked, so on a
/// read-only mount it answers EOPNOTSUPP where the kernel says EROFS (checked on 6.18).
/// </summary>
public static partial class ModeChanges
{
    const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
    const nint SysFchmodat2 = 452;   // the same number on every architecture (generic table)

    public static void ChmodNoFollow(string path, uint mode)
    {
        if (Fchmodat2(SysFchmodat2, AtFdCwd, path, mode & 0xFFF, AtSymlinkNoFollow) == 0)
            return;
        var errno = (Errno)Marshal.GetLastPInvokeError();
        if (errno != Errno.ENOSYS)
            throw new PosixException(errno, path, "fchmodat2");
        // Kernels before 6.6: what fchmodat2 would say, from lstat then chmod.
        if (Files.LStat(path).IsSymlink)
            throw new PosixException(Errno.EOPNOTSUPP, path, "fchmodat");
        Files.Chmod(path, mode);
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Fchmodat2(nint number, int dirfd, string path, uint mode, int flags);
}
