using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// The few syscalls the kernel side needs that Core/Posix does not wrap (open with exact
/// flags, write, ftruncate, readdir, a strict removexattr). Test-local on purpose:
/// the engine does not need them, and the oracle must be the plain syscall with its errno.
/// </summary>
static class KernelCalls
{
    public static int Open(string path, OpenFlags flags, uint mode = 0)
    {
        int fd = Syscall.open(path, flags, (FilePermissions)mode);
        if (fd < 0)
            throw PosixException.FromLastError(path, "open");
        return fd;
    }

    public static void Close(int fd) => Syscall.close(fd);

    public static unsafe void WriteAll(int fd, byte[] data, string path)
    {
        fixed (byte* p = data)
        {
            long done = 0;
            while (done < data.Length)
            {
                long n = Syscall.write(fd, p + done, (ulong)(data.Length - done));
                if (n < 0)
                    throw PosixException.FromLastError(path, "write");
                done += n;
            }
        }
    }

    public static void Seek(int fd, long offset, string path)
    {
        if (Syscall.lseek(fd, offset, SeekFlags.SEEK_SET) < 0)
            throw PosixException.FromLastError(path, "lseek");
    }

    public static void Ftruncate(int fd, long length, string path)
    {
        if (Syscall.ftruncate(fd, length) != 0)
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
                    long n = Syscall.read(fd, p, (ulong)buf.Length);
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
        var dir = Syscall.opendir(path);
        if (dir == IntPtr.Zero)
            throw PosixException.FromLastError(path, "opendir");
        try
        {
            var names = new List<string>();
            Dirent? d;
            while ((d = Syscall.readdir(dir)) is not null)
                if (d.d_name is not "." and not "..")
                    names.Add(d.d_name);
            return names;
        }
        finally { Syscall.closedir(dir); }
    }

    /// <summary>removexattr(2) as is: ENODATA when absent (Core's Xattrs.Remove forgives that).</summary>
    public static void RemoveXattr(string path, string name)
    {
        if (Syscall.lremovexattr(path, name) != 0)
            throw PosixException.FromLastError(path, "removexattr");
    }
}
