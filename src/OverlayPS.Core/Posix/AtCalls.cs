using System.Runtime.InteropServices;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// The descriptor-relative system calls (the *at family, statx, openat2, f*xattr) that
/// <see cref="DirHandle"/> is built on. Names go in as raw bytes (see <see cref="FileNames"/>),
/// never through a string marshaller that would replace a byte it cannot decode. Open flags
/// that differ between architectures (O_DIRECTORY, O_NOFOLLOW on arm64) come from Mono's
/// converter, which is compiled for the running one.
/// </summary>
internal static unsafe partial class AtCalls
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNofollow = 0x100, AtRemoveDir = 0x200, AtEmptyPath = 0x1000;
    public const int OPath = 0x200000;          // the same on x86-64 and arm64
    public static readonly int ODirectory = MonoVocabulary.NativeBits(OpenFlags.O_DIRECTORY);
    public static readonly int ONofollow = MonoVocabulary.NativeBits(OpenFlags.O_NOFOLLOW);
    public static readonly int OCloexec = MonoVocabulary.NativeBits(OpenFlags.O_CLOEXEC);
    public static readonly int ONonblock = MonoVocabulary.NativeBits(OpenFlags.O_NONBLOCK);

    // openat2(2) resolve flags (linux/openat2.h); syscall 437 on x86-64 and arm64.
    public const ulong ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;
    const long SysOpenat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags, Mode, Resolve;
    }

    /// <summary>struct statx (linux/stat.h): one layout on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Statx
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(16)] public uint NLink;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(64)] public long ATimeSec;
        [FieldOffset(72)] public uint ATimeNsec;
        [FieldOffset(96)] public long CTimeSec;
        [FieldOffset(104)] public uint CTimeNsec;
        [FieldOffset(112)] public long MTimeSec;
        [FieldOffset(120)] public uint MTimeNsec;
        [FieldOffset(128)] public uint RDevMajor;
        [FieldOffset(132)] public uint RDevMinor;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
    public const uint StatxBasicStats = 0x7ff;

    /// <summary>The errno a [LibraryImport(SetLastError = true)] call left: Linux errno numbers
    /// are <see cref="Errno"/>'s values on every architecture.</summary>
    public static Errno LastErrno => (Errno)Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static partial int statx(int dirfd, byte* path, int flags, uint mask, Statx* buf);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static partial int openat(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_openat2(long number, int dirfd, byte* path, OpenHow* how, nuint size);

    public static int openat2(int dirfd, byte* path, OpenHow* how) =>
        (int)syscall_openat2(SysOpenat2, dirfd, path, how, (nuint)sizeof(OpenHow));

    const int FDupfdCloexec = 1030;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    /// <summary>A second descriptor of the same open directory, close-on-exec.</summary>
    public static int DupCloexec(int fd) => fcntl(fd, FDupfdCloexec, 0);

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true)]
    public static partial int faccessat(int dirfd, byte* path, int mode, int flags);
    public const int AtEaccess = 0x200;

    [LibraryImport("libc", EntryPoint = "name_to_handle_at", SetLastError = true)]
    public static partial int name_to_handle_at(int dirfd, byte* path, byte* handle, int* mountId, int flags);

    /// <summary>FS_IOC_GETFSUUID (Linux 6.5+): _IOR(0x15, 0, struct fsuuid2 { u8 len; u8 uuid[16]; }).</summary>
    public const ulong FsIocGetFsUuid = 0x80111500;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, byte* arg);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static partial int mkdirat(int dirfd, byte* path, uint mode);

    [LibraryImport("libc", EntryPoint = "mknodat", SetLastError = true)]
    public static partial int mknodat(int dirfd, byte* path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true)]
    public static partial int symlinkat(byte* target, int dirfd, byte* path);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true)]
    public static partial nint readlinkat(int dirfd, byte* path, byte* buf, nuint size);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true)]
    public static partial int linkat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    public static partial int unlinkat(int dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    public static partial int renameat2(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, uint flags);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true)]
    public static partial int fchownat(int dirfd, byte* path, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "fchmodat", SetLastError = true)]
    public static partial int fchmodat(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    public static partial int utimensat(int dirfd, byte* path, long* times, int flags);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true)]
    public static partial nint fgetxattr(int fd, byte* name, byte* value, nuint size);

    /// <summary>struct xattr_args (linux/xattr.h) for getxattrat(2), Linux 6.13+, syscall 464
    /// on every architecture.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct XattrArgs
    {
        public ulong Value;
        public uint Size, Flags;
    }
    const long SysGetxattrat = 464;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_getxattrat(long number, int dirfd, byte* path, uint atFlags, byte* name, XattrArgs* args, nuint size);

    /// <summary>getxattr of a name in a directory without following it, in one call.</summary>
    public static nint getxattrat(int dirfd, byte* path, byte* name, byte* value, nuint size)
    {
        var args = new XattrArgs { Value = (ulong)value, Size = (uint)size };
        return (nint)syscall_getxattrat(SysGetxattrat, dirfd, path, AtSymlinkNofollow, name, &args, (nuint)sizeof(XattrArgs));
    }

    [LibraryImport("libc", EntryPoint = "getxattr", SetLastError = true)]
    public static partial nint getxattr(byte* path, byte* name, byte* value, nuint size);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true)]
    public static partial int fsetxattr(int fd, byte* name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "setxattr", SetLastError = true)]
    public static partial int setxattr(byte* path, byte* name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    public static partial nint flistxattr(int fd, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "listxattr", SetLastError = true)]
    public static partial nint listxattr(byte* path, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "fremovexattr", SetLastError = true)]
    public static partial int fremovexattr(int fd, byte* name);

    [LibraryImport("libc", EntryPoint = "removexattr", SetLastError = true)]
    public static partial int removexattr(byte* path, byte* name);

    /// <summary>lstat of a name in an open directory (statx, AT_SYMLINK_NOFOLLOW); false for
    /// "not there" (ENOENT, ENOTDIR), which lookups through many layers meet often.</summary>
    public static bool TryStatAt(int dirfd, string name, string dirPath, out FileStat stat)
    {
        var z = FileNames.EncodeZ(name);
        Statx s;
        fixed (byte* p = z)
        {
            if (statx(dirfd, p, AtSymlinkNofollow, StatxBasicStats, &s) == 0)
            {
                stat = ToFileStat(s);
                return true;
            }
        }
        var errno = LastErrno;
        stat = default;
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
            return false;
        throw new PosixException(errno, dirPath == "/" ? "/" + name : dirPath + "/" + name, "lstat");
    }

    /// <summary>glibc's makedev: how lstat(2) packs major/minor into st_dev and st_rdev, so a
    /// statx result compares equal with one from Mono's lstat.</summary>
    public static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
        | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static FileStat ToFileStat(in Statx s) => new(
        FileStat.KindOf(s.Mode),
        (uint)s.Mode & 0xFFF,
        s.Uid,
        s.Gid,
        (long)s.Size,
        MakeDev(s.DevMajor, s.DevMinor),
        s.Ino,
        s.NLink,
        MakeDev(s.RDevMajor, s.RDevMinor),
        new PosixTime(s.ATimeSec, s.ATimeNsec),
        new PosixTime(s.MTimeSec, s.MTimeNsec),
        new PosixTime(s.CTimeSec, s.CTimeNsec));
}
