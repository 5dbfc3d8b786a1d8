using System.Text;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Inode-level calls: stat, links, special files, permissions. Each wrapper either succeeds
/// or throws <see cref="PosixException"/> naming the path; the Try* forms return false only
/// for "not there" (ENOENT, ENOTDIR), which lookups through many layers expect to meet often.
/// </summary>
public static class Files
{
    public static FileStat LStat(string path)
    {
        if (Syscall.lstat(path, out var s) != 0)
            throw PosixException.FromLastError(path, "lstat");
        return FileStat.From(s);
    }

    public static bool TryLStat(string path, out FileStat stat) =>
        Found(Syscall.lstat(path, out var s), s, path, "lstat", out stat);

    /// <summary>The Try* rule for a stat-like call's result: false only for "not there".</summary>
    internal static bool Found(int rc, in Stat s, string path, string operation, out FileStat stat)
    {
        if (rc == 0)
        {
            stat = FileStat.From(s);
            return true;
        }
        var errno = MonoVocabulary.LastError();
        stat = default;
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
            return false;
        throw new PosixException(errno, path, operation);
    }

    public static FileStat Stat(string path)
    {
        if (Syscall.stat(path, out var s) != 0)
            throw PosixException.FromLastError(path, "stat");
        return FileStat.From(s);
    }

    public static string ReadLink(string path)
    {
        // readlink(2) does not say how long the target is; grow until it fits.
        for (int size = 256; ; size *= 2)
        {
            var buf = new byte[size];
            long n = Syscall.readlink(path, buf);
            if (n < 0)
                throw PosixException.FromLastError(path, "readlink");
            if (n < size)
                return FileNames.Decode(buf.AsSpan(0, (int)n));
        }
    }

    public static void Symlink(string target, string linkPath)
    {
        if (Syscall.symlink(target, linkPath) != 0)
            throw PosixException.FromLastError(linkPath, "symlink");
    }

    public static void Link(string existing, string newPath)
    {
        if (Syscall.link(existing, newPath) != 0)
            throw PosixException.FromLastError(newPath, "link");
    }

    /// <summary>mknod(2); kind must be a char/block device, fifo or socket.</summary>
    public static void MkNod(string path, FileKind kind, uint mode, ulong dev = 0)
    {
        uint type = FileStat.NodeTypeBits(kind);
        if (Syscall.mknod(path, (FilePermissions)(type | (mode & 0xFFF)), dev) != 0)
            throw PosixException.FromLastError(path, "mknod");
    }

    /// <summary>The kernel's whiteout: char device 0/0, mode 0 (what ovl_do_whiteout makes).</summary>
    public static void MakeWhiteout(string path) => MkNod(path, FileKind.CharDevice, 0, 0);

    public static void Mkdir(string path, uint mode)
    {
        if (Syscall.mkdir(path, (FilePermissions)(mode & 0xFFF)) != 0)
            throw PosixException.FromLastError(path, "mkdir");
    }

    public static void Rmdir(string path)
    {
        if (Syscall.rmdir(path) != 0)
            throw PosixException.FromLastError(path, "rmdir");
    }

    public static void Unlink(string path)
    {
        if (Syscall.unlink(path) != 0)
            throw PosixException.FromLastError(path, "unlink");
    }

    public static void Rename(string from, string to)
    {
        if (Stdlib.rename(from, to) != 0)
            throw PosixException.FromLastError(from, "rename");
    }

    public static void Truncate(string path, long length)
    {
        if (Syscall.truncate(path, length) != 0)
            throw PosixException.FromLastError(path, "truncate");
    }

    public static void Chmod(string path, uint mode)
    {
        if (Syscall.chmod(path, (FilePermissions)(mode & 0xFFF)) != 0)
            throw PosixException.FromLastError(path, "chmod");
    }

    public static void LChown(string path, uint uid, uint gid)
    {
        if (Syscall.lchown(path, uid, gid) != 0)
            throw PosixException.FromLastError(path, "lchown");
    }

    /// <summary>Sets atime and mtime with nanoseconds, without following a final symlink.</summary>
    public static void LUTimes(string path, PosixTime atime, PosixTime mtime)
    {
        var times = new[] { MonoVocabulary.ToMono(atime), MonoVocabulary.ToMono(mtime) };
        if (Syscall.utimensat(Syscall.AT_FDCWD, path, times, AtFlags.AT_SYMLINK_NOFOLLOW) != 0)
            throw PosixException.FromLastError(path, "utimensat");
    }

    /// <summary>access(2): null when allowed, else the errno that refuses it.</summary>
    public static Errno? AccessError(string path, bool read = false, bool write = false, bool search = false)
    {
        var mode = AccessModes.F_OK;
        if (read) mode |= AccessModes.R_OK;
        if (write) mode |= AccessModes.W_OK;
        if (search) mode |= AccessModes.X_OK;
        return Syscall.access(path, mode) == 0 ? null : MonoVocabulary.LastError();
    }

    public static uint CurrentUid => Syscall.geteuid();
    public static uint CurrentGid => Syscall.getegid();
    public static bool IsRoot => Syscall.geteuid() == 0;
}
