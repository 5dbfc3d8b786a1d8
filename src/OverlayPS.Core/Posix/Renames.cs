using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// renameat2(2): the flags the overlay needs to change a name atomically. NOREPLACE makes
/// "first copy-up wins" safe between processes; EXCHANGE swaps a new directory with a whiteout
/// in one step (rename(2) cannot put a directory over a char device); WHITEOUT leaves the
/// kernel's whiteout at the source of a move in the same step (ext4, xfs, tmpfs, btrfs).
/// </summary>
public static partial class Renames
{
    public const uint NoReplace = 1, Exchange = 2, Whiteout = 4;
    const int AtFdCwd = -100;

    public static void Rename(string from, string to, uint flags = 0)
    {
        if (RenameAt2(AtFdCwd, from, AtFdCwd, to, flags) != 0)
            throw new PosixException((Errno)Marshal.GetLastPInvokeError(), from, "rename");
    }

    /// <summary>Renames unless the target exists: false (and nothing changed) when it does.</summary>
    public static bool TryRenameNoReplace(string from, string to)
    {
        if (RenameAt2(AtFdCwd, from, AtFdCwd, to, NoReplace) == 0)
            return true;
        var errno = (Errno)Marshal.GetLastPInvokeError();
        if (errno == Errno.EEXIST)
            return false;
        throw new PosixException(errno, to, "rename");
    }

    /// <summary>
    /// Moves <paramref name="from"/> to <paramref name="to"/> leaving a whiteout at the source.
    /// Where the filesystem lacks RENAME_WHITEOUT, a plain rename then a mknod (the kernel's own
    /// fallback is similar: a whiteout made in the work dir and exchanged).
    /// </summary>
    public static void RenameLeavingWhiteout(string from, string to)
    {
        if (RenameAt2(AtFdCwd, from, AtFdCwd, to, Whiteout) == 0)
            return;
        var errno = (Errno)Marshal.GetLastPInvokeError();
        if (errno is not (Errno.EINVAL or Errno.EOPNOTSUPP))
            throw new PosixException(errno, from, "rename");
        Rename(from, to);
        Files.MakeWhiteout(from);
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);
}
