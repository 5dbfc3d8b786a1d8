using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// A directory held open: the only way Core reaches layer content. Everything inside is named
/// relative to a held directory, one component at a time, with calls that never follow a
/// final symlink (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW); multi-component paths go through openat2
/// with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS. So a directory renamed
/// away or swapped for a symlink after it was opened cannot redirect anything: the kernel
/// pins layer roots at mount the same way. Names are strings in <see cref="FileNames"/> form.
/// The descriptor is O_RDONLY when the directory may be read (so fgetxattr and getdents
/// work), else O_PATH (search only, as for a mode 0711 directory of another user).
/// <see cref="Path"/> is where the directory was when opened: for messages and display only,
/// never walked again.
/// </summary>
public sealed partial class DirHandle : IDisposable
{
    readonly DescriptorHandle _fd;
    readonly bool _pathOnly;

    DirHandle(int fd, bool pathOnly, string path)
    {
        _fd = new DescriptorHandle(fd);
        _pathOnly = pathOnly;
        Path = path;
    }

    /// <summary>Directory descriptors open in this process right now (all stacks).</summary>
    public static int OpenCount => DescriptorHandle.OpenCount;

    /// <summary>The most directory descriptors open at once since the last
    /// <see cref="ResetPeak"/> (benchmarks report it).</summary>
    public static int PeakOpenCount => DescriptorHandle.PeakOpenCount;
    public static void ResetPeak() => DescriptorHandle.ResetPeak();

    /// <summary>Where the directory was when it was opened (display only).</summary>
    public string Path { get; }

    public void Dispose() => _fd.Dispose();

    /// <summary>
    /// Opens a layer root the way mount(2) resolves lowerdir=/upperdir=: the path is walked
    /// once, following symlinks; the directory it names is then held, and its real path (what
    /// the kernel shows in mountinfo) is what <see cref="Path"/> reports.
    /// </summary>
    public static unsafe DirHandle OpenRoot(string path)
    {
        var z = FileNames.EncodeZ(path);
        fixed (byte* p = z)
        {
            int flags = AtCalls.ODirectory | AtCalls.OCloexec;
            int fd = AtCalls.openat(AtCalls.AtFdCwd, p, flags, 0);
            bool pathOnly = false;
            if (fd < 0 && AtCalls.LastErrno is Errno.EACCES)
            {
                fd = AtCalls.openat(AtCalls.AtFdCwd, p, flags | AtCalls.OPath, 0);
                pathOnly = true;
            }
            if (fd < 0)
                throw new PosixException(AtCalls.LastErrno, path, "open");
            return new DirHandle(fd, pathOnly, ProcFdPath(fd) ?? path);
        }
    }

    int Dup()
    {
        using var lease = Lease(out int fd);
        int copy = AtCalls.DupCloexec(fd);
        if (copy < 0)
            throw new PosixException(AtCalls.LastErrno, Path, "dup");
        return copy;
    }

    /// <summary>What the kernel calls the directory now (readlink of its /proc/self/fd link).</summary>
    static string? ProcFdPath(int fd)
    {
        try { return Files.ReadLink($"/proc/self/fd/{fd}"); }
        catch (PosixException) { return null; }
    }

    /// <summary>The name of an entry for messages: the directory's path and the name.</summary>
    public string Describe(string name) =>
        name.Length == 0 || name == "." ? Path : Path == "/" ? "/" + name : Path + "/" + name;

    /// <summary>lstat of an entry (statx, AT_SYMLINK_NOFOLLOW); false for "not there" (ENOENT,
    /// ENOTDIR), which lookups through many layers meet often.</summary>
    public bool TryStat(string name, out FileStat stat)
    {
        using var lease = Lease(out int fd);
        return AtCalls.TryStatAt(fd, name, Path, out stat);
    }

    public FileStat Stat(string name) =>
        TryStat(name, out var st) ? st : throw new PosixException(Errno.ENOENT, Describe(name), "lstat");

    /// <summary>The held directory's own stat (it may have been renamed: it is still this one).</summary>
    public unsafe FileStat StatSelf()
    {
        byte empty = 0;
        AtCalls.Statx s;
        using var lease = Lease(out int fd);
        if (AtCalls.statx(fd, &empty, AtCalls.AtEmptyPath | AtCalls.AtSymlinkNofollow, AtCalls.StatxBasicStats, &s) != 0)
            throw new PosixException(AtCalls.LastErrno, Path, "fstat");
        return AtCalls.ToFileStat(s);
    }

    /// <summary>Opens a subdirectory by one name; ELOOP for a symlink, ENOTDIR for another kind.</summary>
    public DirHandle OpenDir(string name) =>
        TryOpenDir(name, out var dir, out var errno) ? dir : throw new PosixException(errno, Describe(name), "opendir");

    public unsafe bool TryOpenDir(string name, out DirHandle dir, out Errno errno)
    {
        RequireComponent(name);
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            int flags = AtCalls.ODirectory | AtCalls.ONofollow | AtCalls.OCloexec;
            int sub = AtCalls.openat(fd, p, flags, 0);
            bool pathOnly = false;
            if (sub < 0 && AtCalls.LastErrno is Errno.EACCES)
            {
                sub = AtCalls.openat(fd, p, flags | AtCalls.OPath, 0);
                pathOnly = true;
            }
            if (sub < 0)
            {
                errno = AtCalls.LastErrno;
                dir = null!;
                return false;
            }
            errno = 0;
            dir = new DirHandle(sub, pathOnly, Describe(name));
            return true;
        }
    }

    /// <summary>
    /// Opens a directory some components below this one with openat2: every component must be
    /// a real directory beneath this one (no symlink, no magic link, no "..", no absolute path).
    /// Where openat2 is missing (Linux before 5.6), one O_NOFOLLOW component at a time.
    /// </summary>
    public unsafe DirHandle OpenBeneath(string relativePath)
    {
        if (relativePath.Length == 0 || relativePath == ".")
            return new DirHandle(Dup(), _pathOnly, Path);
        var how = new AtCalls.OpenHow
        {
            Flags = (ulong)(AtCalls.ODirectory | AtCalls.ONofollow | AtCalls.OCloexec),
            Resolve = AtCalls.ResolveBeneath | AtCalls.ResolveNoSymlinks | AtCalls.ResolveNoMagicLinks,
        };
        var z = FileNames.EncodeZ(relativePath);
        int sub;
        using (Lease(out int fd))
        {
            fixed (byte* p = z)
                sub = AtCalls.openat2(fd, p, &how);
        }
        if (sub >= 0)
            return new DirHandle(sub, false, Describe(relativePath));
        var errno = AtCalls.LastErrno;
        if (errno is not (Errno.ENOSYS or Errno.EACCES))
            throw new PosixException(errno, Describe(relativePath), "open");
        DirHandle cur = this;
        foreach (var part in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                // What RESOLVE_BENEATH refuses: never climb out, even on a kernel without openat2.
                if (!ReferenceEquals(cur, this))
                    cur.Dispose();
                throw new PosixException(Errno.EXDEV, Describe(relativePath), "open");
            }
            var next = cur.OpenDir(part);
            if (!ReferenceEquals(cur, this))
                cur.Dispose();
            cur = next;
        }
        return ReferenceEquals(cur, this) ? new DirHandle(Dup(), _pathOnly, Path) : cur;
    }

    /// <summary>A regular file (or other non-directory) of this directory, opened with
    /// O_NOFOLLOW | O_CLOEXEC added; the caller owns the handle.</summary>
    public unsafe SafeFileHandle OpenFile(string name, OpenFlags flags, uint mode = 0)
    {
        RequireComponent(name);
        int native = MonoVocabulary.NativeBits(flags) | AtCalls.ONofollow | AtCalls.OCloexec;
        var z = FileNames.EncodeZ(name);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            int f = AtCalls.openat(fd, p, native, mode & 0xFFF);
            if (f < 0)
                throw new PosixException(AtCalls.LastErrno, Describe(name), "open");
            return new SafeFileHandle(f, ownsHandle: true);
        }
    }

    /// <summary>A file some components below, opened through openat2 beneath this directory
    /// with no symlink on the way, O_NOFOLLOW | O_CLOEXEC added.</summary>
    public unsafe SafeFileHandle OpenFileBeneath(string relativePath, OpenFlags flags)
    {
        var how = new AtCalls.OpenHow
        {
            Flags = (ulong)(MonoVocabulary.NativeBits(flags) | AtCalls.ONofollow | AtCalls.OCloexec),
            Resolve = AtCalls.ResolveBeneath | AtCalls.ResolveNoSymlinks | AtCalls.ResolveNoMagicLinks,
        };
        var z = FileNames.EncodeZ(relativePath);
        using var lease = Lease(out int fd);
        fixed (byte* p = z)
        {
            int f = AtCalls.openat2(fd, p, &how);
            if (f >= 0)
                return new SafeFileHandle(f, ownsHandle: true);
        }
        var errno = AtCalls.LastErrno;
        if (errno != Errno.ENOSYS)
            throw new PosixException(errno, Describe(relativePath), "open");
        int slash = relativePath.LastIndexOf('/');
        if (slash < 0)
            return OpenFile(relativePath, flags);
        using var dir = OpenBeneath(relativePath[..slash]);
        return dir.OpenFile(relativePath[(slash + 1)..], flags);
    }

    /// <summary>A reader of this directory's entries, on a descriptor of its own (its own
    /// offset), opened through this one: never by path.</summary>
    public DirectoryReader Read()
    {
        var fd = ReopenForReading();
        return DirectoryReader.FromDescriptor(fd, Path);
    }

    unsafe int ReopenForReading()
    {
        byte* dot = stackalloc byte[2] { (byte)'.', 0 };
        using var lease = Lease(out int fd);
        int r = AtCalls.openat(fd, dot, AtCalls.ODirectory | AtCalls.OCloexec, 0);
        if (r < 0)
            throw new PosixException(AtCalls.LastErrno, Path, "opendir");
        return r;
    }

    /// <summary>Holds the descriptor open for the length of one system call, so a Dispose on
    /// another thread cannot close it (and let the number be reused) in the middle.</summary>
    internal Lease Lease(out int fd)
    {
        bool added = false;
        _fd.DangerousAddRef(ref added);
        fd = (int)_fd.DangerousGetHandle();
        return new Lease(_fd);
    }

    internal bool IsPathOnly => _pathOnly;

    /// <summary>One name of an entry: never empty, never a path, never "." or ".." (a caller
    /// that means the directory itself says so; one that means the parent is a bug).</summary>
    static void RequireComponent(string name)
    {
        if (name.Length == 0 || name.Contains('/') || name is "." or "..")
            throw new PosixException(Errno.EINVAL, name, "one path component expected");
    }

    public override string ToString() => Path;
}

internal readonly struct Lease : IDisposable
{
    readonly SafeHandle _h;
    public Lease(SafeHandle h) => _h = h;
    public void Dispose() => _h.DangerousRelease();
}

/// <summary>
/// Owns one directory descriptor. A directory the engine let go of (a lookup's result no call
/// uses any more, one the cache dropped) is closed when the runtime finalizes it; so that
/// such descriptors never pile up between collections, opening one while more than
/// <see cref="CollectAbove"/> are open first runs a collection (at most once per
/// <see cref="CollectEvery"/> opens), which closes every one no longer reachable.
/// </summary>
internal sealed class DescriptorHandle : SafeHandle
{
    public const int CollectAbove = 8192, CollectEvery = 2048;
    static int _open, _openedSinceCollect, _peak;

    public DescriptorHandle(int fd) : base(-1, ownsHandle: true)
    {
        SetHandle(fd);
        int open = Interlocked.Increment(ref _open);
        if (open > Volatile.Read(ref _peak))
            Volatile.Write(ref _peak, open);    // a report, not a limit: a lost race is harmless
        if (Interlocked.Increment(ref _openedSinceCollect) >= CollectEvery && open > CollectAbove)
        {
            Interlocked.Exchange(ref _openedSinceCollect, 0);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    public static int OpenCount => Volatile.Read(ref _open);
    public static int PeakOpenCount => Volatile.Read(ref _peak);
    public static void ResetPeak() => Volatile.Write(ref _peak, Volatile.Read(ref _open));

    public override bool IsInvalid => handle == -1;

    protected override bool ReleaseHandle()
    {
        Interlocked.Decrement(ref _open);
        return AtCalls.close((int)handle) == 0;
    }
}
