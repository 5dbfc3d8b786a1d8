using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Changes to the entries of a held directory: each call names one component and none follows
/// a final symlink (the kernel's overlay never does either on its layers).
/// </summary>
public sealed partial class DirHandle
{
    public unsafe string ReadLink(string name)
    {
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        for (int size = 256; ; size *= 2)
        {
            var buf = new byte[size];
            nint n;
            fixed (byte* p = z)
            fixed (byte* b = buf)
                n = AtCalls.readlinkat(fd, p, b, (nuint)size);
            if (n < 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "readlink");
            if (n < size)
                return FileNames.Decode(buf.AsSpan(0, (int)n));
        }
    }

    public unsafe void Symlink(string target, string name)
    {
        RequireComponent(name);
        var t = FileNames.EncodeZ(target);
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* tp = t)
        fixed (byte* p = z)
        {
            if (AtCalls.symlinkat(tp, fd, p) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "symlink");
        }
    }

    public unsafe void Mkdir(string name, uint mode)
    {
        RequireComponent(name);
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            if (AtCalls.mkdirat(fd, p, mode & 0xFFF) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "mkdir");
        }
    }

    /// <summary>mknodat(2); kind must be a char/block device, fifo or socket.</summary>
    public unsafe void MkNod(string name, FileKind kind, uint mode, ulong dev = 0)
    {
        RequireComponent(name);
        uint type = FileStat.NodeTypeBits(kind);
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            if (AtCalls.mknodat(fd, p, type | (mode & 0xFFF), dev) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "mknod");
        }
    }

    /// <summary>The kernel's whiteout: char device 0/0, mode 0 (what ovl_do_whiteout makes).</summary>
    public void MakeWhiteout(string name) => MkNod(name, FileKind.CharDevice, 0, 0);

    public void Unlink(string name) => UnlinkAt(name, 0, "unlink");

    /// <summary>rmdir(2) of an entry: only an empty directory goes, never its contents.</summary>
    public void Rmdir(string name) => UnlinkAt(name, AtCalls.AtRemoveDir, "rmdir");

    unsafe void UnlinkAt(string name, int flags, string operation)
    {
        RequireComponent(name);
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            if (AtCalls.unlinkat(fd, p, flags) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), operation);
        }
    }

    /// <summary>linkat(2) without AT_SYMLINK_FOLLOW: a link to the entry itself.</summary>
    public unsafe void Link(string name, DirHandle toDir, string toName)
    {
        RequireComponent(name);
        RequireComponent(toName);
        var a = FileNames.EncodeZ(name);
        var b = FileNames.EncodeZ(toName);
        using var l1 = Lease(out int fd);
        using var l2 = toDir.Lease(out int tfd);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
        {
            if (AtCalls.linkat(fd, pa, tfd, pb, 0) != 0)
                throw new PosixException(AtCalls.LastErrno, toDir.Describe(toName), "link");
        }
    }

    /// <summary>renameat2(2) flags: NOREPLACE makes "first copy-up wins" safe between
    /// processes; EXCHANGE swaps a new directory with a whiteout in one step (rename(2) cannot
    /// put a directory over a char device); WHITEOUT leaves the kernel's whiteout at the source
    /// of a move in the same step.</summary>
    public const uint RenameNoReplace = 1, RenameExchange = 2, RenameWhiteout = 4;

    public static void Rename(DirHandle fromDir, string from, DirHandle toDir, string to, uint flags = 0)
    {
        var errno = TryRename(fromDir, from, toDir, to, flags);
        if (errno != 0)
            throw new PosixException(errno, fromDir.Describe(from), "rename");
    }

    /// <summary>Renames unless the target exists: false (and nothing changed) when it does.</summary>
    public static bool TryRenameNoReplace(DirHandle fromDir, string from, DirHandle toDir, string to)
    {
        var errno = TryRename(fromDir, from, toDir, to, RenameNoReplace);
        if (errno == 0)
            return true;
        if (errno == Errno.EEXIST)
            return false;
        throw new PosixException(errno, toDir.Describe(to), "rename");
    }

    /// <summary>
    /// Moves an entry leaving a whiteout at the source. Where the filesystem lacks
    /// RENAME_WHITEOUT, a plain rename then a mknod (the kernel's own fallback is similar).
    /// </summary>
    public static void RenameLeavingWhiteout(DirHandle fromDir, string from, DirHandle toDir, string to)
    {
        var errno = TryRename(fromDir, from, toDir, to, RenameWhiteout);
        if (errno == 0)
            return;
        if (errno is not (Errno.EINVAL or Errno.EOPNOTSUPP))
            throw new PosixException(errno, fromDir.Describe(from), "rename");
        Rename(fromDir, from, toDir, to);
        fromDir.MakeWhiteout(from);
    }

    static unsafe Errno TryRename(DirHandle fromDir, string from, DirHandle toDir, string to, uint flags)
    {
        RequireComponent(from);
        RequireComponent(to);
        var a = FileNames.EncodeZ(from);
        var b = FileNames.EncodeZ(to);
        using var l1 = fromDir.Lease(out int ffd);
        using var l2 = toDir.Lease(out int tfd);
        fixed (byte* pa = a)
        fixed (byte* pb = b)
            return AtCalls.renameat2(ffd, pa, tfd, pb, flags) == 0 ? 0 : AtCalls.LastErrno;
    }

    /// <summary>fchownat(AT_SYMLINK_NOFOLLOW): a symlink is changed itself.</summary>
    public unsafe void Chown(string name, uint uid, uint gid)
    {
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            int flags = AtCalls.AtSymlinkNofollow | (name.Length == 0 ? AtCalls.AtEmptyPath : 0);
            if (AtCalls.fchownat(fd, p, uid, gid, flags) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "lchown");
        }
    }

    /// <summary>fchmodat(AT_SYMLINK_NOFOLLOW): never through a symlink (EOPNOTSUPP on one;
    /// glibc does it with O_PATH|O_NOFOLLOW, or fchmodat2 on newer kernels).</summary>
    public unsafe void Chmod(string name, uint mode)
    {
        var z = FileNames.EncodeZ(name.Length == 0 ? "." : name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            if (AtCalls.fchmodat(fd, p, mode & 0xFFF, AtCalls.AtSymlinkNofollow) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "chmod");
        }
    }

    /// <summary>utimensat(AT_SYMLINK_NOFOLLOW) with nanoseconds; "" is the directory itself.</summary>
    public unsafe void SetTimes(string name, PosixTime atime, PosixTime mtime)
    {
        var z = FileNames.EncodeZ(name.Length == 0 ? "." : name);
        long* times = stackalloc long[4] { atime.Seconds, atime.Nanoseconds, mtime.Seconds, mtime.Nanoseconds };
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            if (AtCalls.utimensat(fd, p, times, AtCalls.AtSymlinkNofollow) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "utimensat");
        }
    }

    /// <summary>truncate(2) of a regular file of this directory, opened O_NOFOLLOW.</summary>
    public void Truncate(string name, long length)
    {
        using var h = OpenFile(name, OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK);
        if (AtCalls.ftruncate((int)h.DangerousGetHandle(), length) != 0)
            throw new PosixException(AtCalls.LastErrno, Describe(name), "truncate");
    }

    /// <summary>access(2)-like check of an entry's permission bits for the effective user,
    /// without following it: null when allowed, else EACCES.</summary>
    public unsafe Errno? AccessError(string name, bool read = false, bool write = false, bool search = false)
    {
        var z = FileNames.EncodeZ(name.Length == 0 ? "." : name);
        int mode = (read ? 4 : 0) | (write ? 2 : 0) | (search ? 1 : 0);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
            return AtCalls.faccessat(fd, p, mode, AtCalls.AtEaccess | AtCalls.AtSymlinkNofollow) == 0 ? null : AtCalls.LastErrno;
    }
}
