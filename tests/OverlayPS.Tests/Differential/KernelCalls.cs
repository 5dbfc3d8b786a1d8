using Native = Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// The few syscalls the kernel side needs that Core/Posix does not wrap (open with exact
/// flags, write, ftruncate, readdir, a strict removexattr). Test-local on purpose:
/// the engine does not need them, and the oracle must be the plain syscall with its errno.
/// </summary>
static class KernelCalls
{
    /// <summary>open(2), always close-on-exec: other tests start mount/umount processes at any
    /// moment, and one inheriting a descriptor on this mount would keep it busy.</summary>
    public static int Open(string path, OpenFlags flags, uint mode = 0)
    {
        int fd = Native.Syscall.open(path, MonoVocabulary.ToMono(flags | OpenFlags.O_CLOEXEC), (Native.FilePermissions)mode);
        if (fd < 0)
            throw PosixException.FromLastError(path, "open");
        return fd;
    }

    public static void Close(int fd) => Native.Syscall.close(fd);

    public static unsafe void WriteAll(int fd, byte[] data, string path)
    {
        fixed (byte* p = data)
        {
            long done = 0;
            while (done < data.Length)
            {
                long n = Native.Syscall.write(fd, p + done, (ulong)(data.Length - done));
                if (n < 0)
                    throw PosixException.FromLastError(path, "write");
                done += n;
            }
        }
    }

    public static void Seek(int fd, long offset, string path)
    {
        if (Native.Syscall.lseek(fd, offset, Native.SeekFlags.SEEK_SET) < 0)
            throw PosixException.FromLastError(path, "lseek");
    }

    public static void Ftruncate(int fd, long length, string path)
    {
        if (Native.Syscall.ftruncate(fd, length) != 0)
            throw PosixException.FromLastError(path, "ftruncate");
    }

    /// <summary>The whole content of a file (a final symlink followed, as open(2) does); never
    /// blocks on a fifo.</summary>
    public static unsafe byte[] ReadAll(string path)
    {
        int fd = Open(path, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK);
        try
        {
            var ms = new MemoryStream();
            var buf = new byte[65536];
            fixed (byte* p = buf)
            {
                while (true)
                {
                    long n = Native.Syscall.read(fd, p, (ulong)buf.Length);
                    if (n < 0)
                        throw PosixException.FromLastError(path, "read");
                    if (n == 0)
                        break;
                    ms.Write(buf, 0, (int)n);
                }
            }
            return ms.ToArray();
        }
        finally { Close(fd); }
    }

    /// <summary>Names in a directory, without "." and "..", as opendir(3) lists them (a final
    /// symlink followed).</summary>
    public static List<string> ReadDirNames(string path)
    {
        var dir = Native.Syscall.opendir(path);
        if (dir == IntPtr.Zero)
            throw PosixException.FromLastError(path, "opendir");
        try
        {
            var names = new List<string>();
            Native.Dirent? d;
            while ((d = Native.Syscall.readdir(dir)) is not null)
                if (d.d_name is not "." and not "..")
                    names.Add(d.d_name);
            return names;
        }
        finally { Native.Syscall.closedir(dir); }
    }

    /// <summary>lgetxattr(2) that tells an empty value from an absent one (Core's Xattrs.Get
    /// returns null for both: Mono hands back no array for a zero-length value).</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            long size = Native.Syscall.lgetxattr(path, name, Array.Empty<byte>(), 0);
            if (size < 0)
            {
                var errno = MonoVocabulary.LastError();
                if (errno == Errno.ENODATA)
                    return null;
                throw new PosixException(errno, path, "getxattr " + name);
            }
            if (size == 0)
                return Array.Empty<byte>();
            var buf = new byte[size];
            long n = Native.Syscall.lgetxattr(path, name, buf, (ulong)size);
            if (n >= 0)
                return buf.AsSpan(0, (int)n).ToArray();
            if (MonoVocabulary.LastError() != Errno.ERANGE)
                throw PosixException.FromLastError(path, "getxattr " + name);
            // It grew between the two calls: ask again.
        }
        throw new PosixException(Errno.ERANGE, path, "getxattr " + name);
    }

    /// <summary>removexattr(2) as is: ENODATA when absent (Core's Xattrs.Remove forgives that).</summary>
    public static void RemoveXattr(string path, string name)
    {
        if (Native.Syscall.lremovexattr(path, name) != 0)
            throw PosixException.FromLastError(path, "removexattr");
    }
}
