using System.Buffers;
using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Streams one directory's entries with getdents64(2) into a pooled buffer: no whole-directory
/// list, no object per entry beyond the name. Entries are lstat-ed relative to the open
/// directory (fstatat with AT_SYMLINK_NOFOLLOW), which skips re-walking the path per entry and
/// cannot be redirected by a symlink swapped into a parent meanwhile.
/// </summary>
public sealed partial class DirectoryReader : IDisposable
{
    const int BufferSize = 32 * 1024;
    int _fd;
    byte[]? _buffer;
    int _length, _offset;

    readonly string _path;

    DirectoryReader(int fd, string path)
    {
        _fd = fd;
        _path = path;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>Takes over a descriptor opened on a directory (see DirHandle.Read).</summary>
    internal static DirectoryReader FromDescriptor(int fd, string path) => new(fd, path);

    /// <summary>Opens a directory for reading; never follows a final symlink.</summary>
    public static DirectoryReader Open(string path)
    {
        int fd = Syscall.open(path, MonoVocabulary.ToMono(OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC));
        if (fd < 0)
        {
            var errno = MonoVocabulary.LastError();
            // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY on a non-directory ENOTDIR.
            throw new PosixException(errno, path, "opendir");
        }
        return new DirectoryReader(fd, path);
    }

    public int Descriptor => _fd;

    /// <summary>The next entry other than "." and "..", or false at the end.</summary>
    public bool Next(out string name, out byte type)
    {
        var buf = _buffer ?? throw new ObjectDisposedException(nameof(DirectoryReader));
        while (true)
        {
            if (_offset >= _length)
            {
                long n = GetDents64(_fd, buf, (nuint)buf.Length);
                if (n < 0)
                    throw new PosixException((Errno)Marshal.GetLastPInvokeError(), _path, "getdents64");
                if (n == 0)
                {
                    name = "";
                    type = 0;
                    return false;
                }
                _length = (int)n;
                _offset = 0;
            }
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
            var rec = buf.AsSpan(_offset);
            int reclen = BitConverter.ToUInt16(rec.Slice(16, 2));
            type = rec[18];
            var raw = rec.Slice(19, reclen - 19);
            int nul = raw.IndexOf((byte)0);
            if (nul >= 0)
                raw = raw[..nul];
            _offset += reclen;
            if (raw.Length == 1 && raw[0] == (byte)'.')
                continue;
            if (raw.Length == 2 && raw[0] == (byte)'.' && raw[1] == (byte)'.')
                continue;
            name = FileNames.Decode(raw);
            return true;
        }
    }

    /// <summary>lstat of an entry of this directory; false when it vanished meanwhile.</summary>
    public bool TryStatEntry(string name, out FileStat stat) =>
        AtCalls.TryStatAt(_fd, name, _path, out stat);

    public void Dispose()
    {
        if (_buffer is { } b)
        {
            ArrayPool<byte>.Shared.Return(b);
            _buffer = null;
        }
        if (_fd >= 0)
        {
            Syscall.close(_fd);
            _fd = -1;
        }
    }

    /// <summary>d_type values (dirent.h): what getdents says without a stat.</summary>
    public const byte DtUnknown = 0, DtFifo = 1, DtChr = 2, DtDir = 4, DtBlk = 6, DtReg = 8, DtLnk = 10, DtSock = 12;

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint GetDents64(int fd, byte[] buffer, nuint count);
}
