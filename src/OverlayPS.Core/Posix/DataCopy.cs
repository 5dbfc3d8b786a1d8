using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Copies file data the way the kernel's copy-up does (ovl_copy_up_file): a reflink when the
/// filesystem can share extents (FICLONE), else copy_file_range in the kernel, skipping holes
/// (SEEK_DATA/SEEK_HOLE) so sparse files stay sparse; a pread/pwrite loop through a pooled
/// buffer only when neither works. Never holds a whole file in memory.
/// </summary>
public static partial class DataCopy
{
    const ulong FICLONE = 0x40049409;
    const int SEEK_DATA = 3, SEEK_HOLE = 4;
    const int Chunk = 1 << 20;

    /// <summary>How the last copy went: "reflink", "copy_file_range" or "read/write" (for tests
    /// and benchmarks).</summary>
    public static string LastMethod { get; private set; } = "";

    /// <param name="copied">Told the offset reached after each chunk (at most 1 MiB apart), so
    /// a caller can show how a long copy goes.</param>
    public static void Copy(SafeFileHandle source, SafeFileHandle target, long size, string? path = null,
        Action<long>? copied = null)
    {
        int src = (int)source.DangerousGetHandle(), dst = (int)target.DangerousGetHandle();
        if (size > 0 && Ioctl(dst, FICLONE, src) == 0)
        {
            LastMethod = "reflink";
            copied?.Invoke(size);
            return;
        }
        if (!CopyRanges(src, dst, size, path, copied))
            ReadWrite(src, dst, size, path, copied);
        // A trailing hole has no data to copy: the length must still be right.
        if (Syscall.ftruncate(dst, size) != 0)
            throw PosixException.FromLastError(path, "ftruncate");
    }

    /// <summary>copy_file_range over each data extent; false when the call is not available
    /// for this pair of files (nothing was written then).</summary>
    static unsafe bool CopyRanges(int src, int dst, long size, string? path, Action<long>? copied)
    {
        long pos = 0;
        bool wrote = false;
        while (pos < size)
        {
            long data = LSeek(src, pos, SEEK_DATA);
            if (data < 0)
            {
                var e = (Errno)Marshal.GetLastPInvokeError();
                if (e == Errno.ENXIO)
                    break;                          // only a hole remains
                if (e == Errno.EINVAL)
                    data = pos;                     // no SEEK_DATA here: treat all as data
                else
                    throw new PosixException(e, path, "lseek");
            }
            long hole = LSeek(src, data, SEEK_HOLE);
            if (hole < 0)
                hole = size;
            hole = Math.Min(hole, size);
            long inOff = data, outOff = data;
            while (inOff < hole)
            {
                nint n = CopyFileRange(src, &inOff, dst, &outOff, (nuint)Math.Min(hole - inOff, Chunk), 0);
                if (n < 0)
                {
                    var e = (Errno)Marshal.GetLastPInvokeError();
                    if (!wrote && e is Errno.EXDEV or Errno.EOPNOTSUPP or Errno.ENOSYS or Errno.EINVAL)
                        return false;
                    throw new PosixException(e, path, "copy_file_range");
                }
                if (n == 0)
                    break;                          // the source shrank meanwhile
                wrote = true;
                copied?.Invoke(inOff);
            }
            pos = hole;
        }
        LastMethod = "copy_file_range";
        return true;
    }

    static unsafe void ReadWrite(int src, int dst, long size, string? path, Action<long>? copied)
    {
        var buf = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            long off = 0;
            fixed (byte* p = buf)
            {
                while (off < size)
                {
                    long n = Syscall.pread(src, p, (ulong)Math.Min(buf.Length, size - off), off);
                    if (n < 0)
                        throw PosixException.FromLastError(path, "pread");
                    if (n == 0)
                        break;
                    for (long done = 0; done < n;)
                    {
                        long w = Syscall.pwrite(dst, p + done, (ulong)(n - done), off + done);
                        if (w < 0)
                            throw PosixException.FromLastError(path, "pwrite");
                        done += w;
                    }
                    off += n;
                    copied?.Invoke(off);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
        }
        LastMethod = "read/write";
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, int arg);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static unsafe partial nint CopyFileRange(int fdIn, long* offIn, int fdOut, long* offOut, nuint len, uint flags);
}
