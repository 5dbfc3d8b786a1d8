using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>What <see cref="DirHandle.ReadRegularFileBeneath"/> found.</summary>
public enum BoundedReadStatus
{
    Read,
    /// <summary>Nothing there (ENOENT, or a component that is not a directory).</summary>
    Missing,
    /// <summary>A symlink on the way or at the end: not followed (ELOOP from RESOLVE_NO_SYMLINKS).</summary>
    Symlink,
    /// <summary>A directory, FIFO, device or socket where a regular file was expected.</summary>
    NotRegular,
    /// <summary>Larger than the cap: nothing beyond the cap was read.</summary>
    TooLarge,
}

/// <summary>The outcome of one bounded read: the bytes when <see cref="Status"/> is Read, and
/// the kind seen when it is NotRegular.</summary>
public readonly record struct BoundedRead(BoundedReadStatus Status, byte[]? Data, FileKind Kind);

public sealed partial class DirHandle
{
    /// <summary>
    /// Reads a small regular file some components below this directory, for metadata written
    /// by another program that may be hostile: opened through openat2 beneath this directory
    /// with no symlink anywhere on the way (so never /dev/zero or a host file through a link),
    /// O_NONBLOCK | O_NOCTTY so a FIFO or a device cannot block the open, then fstat'ed: only a
    /// regular file is read, and at most <paramref name="maxBytes"/> + 1 bytes of it (a file
    /// that grows after the fstat is still caught), so memory stays bounded.
    /// </summary>
    public unsafe BoundedRead ReadRegularFileBeneath(string relativePath, int maxBytes)
    {
        Microsoft.Win32.SafeHandles.SafeFileHandle h;
        try
        {
            h = OpenFileBeneath(relativePath, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOCTTY);
        }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            return new BoundedRead(BoundedReadStatus.Missing, null, FileKind.Unknown);
        }
        catch (PosixException e) when (e.Errno is Errno.ELOOP)
        {
            return new BoundedRead(BoundedReadStatus.Symlink, null, FileKind.Symlink);
        }
        using (h)
        {
            int fd = (int)h.DangerousGetHandle();
            byte empty = 0;
            AtCalls.Statx s;
            if (AtCalls.statx(fd, &empty, AtCalls.AtEmptyPath, AtCalls.StatxBasicStats, &s) != 0)
                throw new PosixException(AtCalls.LastErrno, Describe(relativePath), "fstat");
            var st = AtCalls.ToFileStat(s);
            if (!st.IsRegular)
                return new BoundedRead(BoundedReadStatus.NotRegular, null, st.Kind);
            if (st.Size > maxBytes)
                return new BoundedRead(BoundedReadStatus.TooLarge, null, st.Kind);
            var buf = new byte[(int)Math.Min(st.Size, maxBytes) + 1];
            int total = 0;
            while (true)
            {
                if (total == buf.Length)
                {
                    if (total > maxBytes)
                        return new BoundedRead(BoundedReadStatus.TooLarge, null, st.Kind);
                    Array.Resize(ref buf, Math.Min(buf.Length * 2, maxBytes + 1));
                }
                long n;
                fixed (byte* b = &buf[total])
                    n = Syscall.read(fd, b, (ulong)(buf.Length - total));
                if (n < 0)
                {
                    var errno = MonoVocabulary.LastError();
                    if (errno == Errno.EINTR)
                        continue;
                    throw new PosixException(errno, Describe(relativePath), "read");
                }
                if (n == 0)
                    break;
                total += (int)n;
            }
            if (total > maxBytes)
                return new BoundedRead(BoundedReadStatus.TooLarge, null, st.Kind);
            return new BoundedRead(BoundedReadStatus.Read, buf.AsSpan(0, total).ToArray(), st.Kind);
        }
    }

    /// <summary>lstat of an entry some components below this directory: its parent is opened
    /// beneath with no symlink on the way. False when it (or a parent) is not there; ELOOP
    /// from a symlinked parent surfaces as a PosixException.</summary>
    public bool TryStatBeneath(string relativePath, out FileStat stat)
    {
        int slash = relativePath.LastIndexOf('/');
        if (slash < 0)
            return TryStat(relativePath, out stat);
        DirHandle parent;
        try { parent = OpenBeneath(relativePath[..slash]); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            stat = default;
            return false;
        }
        using (parent)
            return parent.TryStat(relativePath[(slash + 1)..], out stat);
    }
}
