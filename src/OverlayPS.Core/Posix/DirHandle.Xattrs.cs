using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Extended attributes of the held directory itself (entry "") or of one of its entries,
/// never through a symlink. An entry is opened O_PATH | O_NOFOLLOW and its xattrs are reached
/// through that descriptor's /proc/self/fd link: getxattr(2) on that magic link lands on the
/// opened inode itself, a symlink included (checked on 6.18: trusted.* of a symlink read back
/// that way), and no name is walked again. The directory itself uses f*xattr when it is held
/// O_RDONLY. An attribute that is absent, or a filesystem without xattrs, reads as null.
/// </summary>
public sealed partial class DirHandle
{
    public unsafe byte[]? GetXattr(string entry, string attr)
    {
        var n = FileNames.EncodeZ(attr);
        using var target = XattrTarget(entry);
        fixed (byte* np = n)
        {
            for (int size = 256; ; size *= 4)
            {
                var buf = new byte[size];
                nint r;
                fixed (byte* b = buf)
                    r = target.Fd >= 0 ? AtCalls.fgetxattr(target.Fd, np, b, (nuint)size) : GetAt(target.ProcPath, np, b, size);
                if (r >= 0)
                    return buf.AsSpan(0, (int)r).ToArray();
                var errno = AtCalls.LastErrno;
                if (errno == Errno.ERANGE && size < 1 << 20)
                    continue;
                if (errno is Errno.ENODATA or Errno.EOPNOTSUPP)
                    return null;
                throw new PosixException(errno, Describe(entry), $"getxattr {attr}");
            }
        }
    }

    static unsafe nint GetAt(byte[] procPath, byte* name, byte* buf, int size)
    {
        fixed (byte* pp = procPath)
            return AtCalls.getxattr(pp, name, buf, (nuint)size);
    }

    public unsafe string[] ListXattrs(string entry)
    {
        using var target = XattrTarget(entry);
        for (int size = 1024; ; size *= 4)
        {
            var buf = new byte[size];
            nint r;
            fixed (byte* b = buf)
            {
                if (target.Fd >= 0)
                    r = AtCalls.flistxattr(target.Fd, b, (nuint)size);
                else
                    fixed (byte* pp = target.ProcPath)
                        r = AtCalls.listxattr(pp, b, (nuint)size);
            }
            if (r >= 0)
            {
                var names = new List<string>();
                int start = 0;
                for (int i = 0; i < r; i++)
                {
                    if (buf[i] != 0)
                        continue;
                    if (i > start)
                        names.Add(FileNames.Decode(buf.AsSpan(start, i - start)));
                    start = i + 1;
                }
                return names.ToArray();
            }
            var errno = AtCalls.LastErrno;
            if (errno == Errno.ERANGE && size < 1 << 22)
                continue;
            if (errno == Errno.EOPNOTSUPP)
                return Array.Empty<string>();
            throw new PosixException(errno, Describe(entry), "listxattr");
        }
    }

    public unsafe void SetXattr(string entry, string attr, byte[] value)
    {
        var n = FileNames.EncodeZ(attr);
        using var target = XattrTarget(entry);
        fixed (byte* np = n)
        fixed (byte* v = value)
        {
            int r;
            if (target.Fd >= 0)
                r = AtCalls.fsetxattr(target.Fd, np, v, (nuint)value.Length, 0);
            else
                fixed (byte* pp = target.ProcPath)
                    r = AtCalls.setxattr(pp, np, v, (nuint)value.Length, 0);
            if (r != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(entry), $"setxattr {attr}");
        }
    }

    public void SetXattr(string entry, string attr, string value) =>
        SetXattr(entry, attr, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>Removes an attribute; with <paramref name="mustExist"/> ENODATA when absent,
    /// as removexattr(2) says, else absent is not an error.</summary>
    public unsafe void RemoveXattr(string entry, string attr, bool mustExist)
    {
        var n = FileNames.EncodeZ(attr);
        using var target = XattrTarget(entry);
        fixed (byte* np = n)
        {
            int r;
            if (target.Fd >= 0)
                r = AtCalls.fremovexattr(target.Fd, np);
            else
                fixed (byte* pp = target.ProcPath)
                    r = AtCalls.removexattr(pp, np);
            if (r == 0)
                return;
            var errno = AtCalls.LastErrno;
            if (errno == Errno.ENODATA && !mustExist)
                return;
            throw new PosixException(errno, Describe(entry), $"removexattr {attr}");
        }
    }

    /// <summary>What an xattr call acts on: this directory's own descriptor (f*xattr), or an
    /// O_PATH descriptor of the entry reached through /proc/self/fd.</summary>
    unsafe XattrCallTarget XattrTarget(string entry)
    {
        var lease = Lease(out int fd);
        if (entry.Length == 0 || entry == ".")
        {
            if (!_pathOnly)
                return new XattrCallTarget(lease, fd, null, -1);
            return new XattrCallTarget(lease, -1, FileNames.EncodeZ($"/proc/self/fd/{fd}"), -1);
        }
        RequireComponent(entry);
        var z = FileNames.EncodeZ(entry);
        int opened;
        fixed (byte* p = z)
            opened = AtCalls.openat(fd, p, AtCalls.OPath | AtCalls.ONofollow | AtCalls.OCloexec, 0);
        if (opened < 0)
        {
            var errno = AtCalls.LastErrno;
            lease.Dispose();
            throw new PosixException(errno, Describe(entry), "open");
        }
        return new XattrCallTarget(lease, -1, FileNames.EncodeZ($"/proc/self/fd/{opened}"), opened);
    }

    readonly struct XattrCallTarget : IDisposable
    {
        readonly Lease _lease;
        readonly int _owned;
        public XattrCallTarget(Lease lease, int fd, byte[]? procPath, int owned)
        {
            _lease = lease;
            Fd = fd;
            ProcPath = procPath!;
            _owned = owned;
        }
        public int Fd { get; }
        public byte[] ProcPath { get; }
        public void Dispose()
        {
            if (_owned >= 0)
                AtCalls.close(_owned);
            _lease.Dispose();
        }
    }
}
