using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

// Names, not numbers, in ConvertTo-Json of the objects that carry it (PowerShell writes through Json.NET).
/// <summary>What kind of inode an lstat saw.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum FileKind : byte
{
    Unknown = 0,
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

/// <summary>
/// The result of one lstat(2), copied out of Mono's struct so the rest of Core never touches
/// Mono types. Times keep nanoseconds: copy-up must preserve them exactly as the kernel does.
/// </summary>
public readonly record struct FileStat(
    FileKind Kind,
    uint Mode,          // permission bits incl. setuid/setgid/sticky (no type bits)
    uint Uid,
    uint Gid,
    long Size,
    ulong Device,
    ulong Inode,
    ulong NLink,
    ulong RDev,
    PosixTime ATime,
    PosixTime MTime,
    PosixTime CTime)
{
    public bool IsDirectory => Kind == FileKind.Directory;
    public bool IsSymlink => Kind == FileKind.Symlink;
    public bool IsRegular => Kind == FileKind.Regular;

    /// <summary>The kernel's whiteout: a character device with device number 0/0.</summary>
    public bool IsCharDevice00 => Kind == FileKind.CharDevice && RDev == 0;

    public DateTime MTimeUtc => ToDateTime(MTime);
    public DateTime ATimeUtc => ToDateTime(ATime);
    public DateTime CTimeUtc => ToDateTime(CTime);

    public static DateTime ToDateTime(PosixTime t) => t.UtcDateTime;

    internal static FileStat From(in Stat s) => new(
        KindOf((uint)s.st_mode),
        (uint)s.st_mode & 0xFFF,
        s.st_uid,
        s.st_gid,
        s.st_size,
        s.st_dev,
        s.st_ino,
        s.st_nlink,
        s.st_rdev,
        new PosixTime(s.st_atime, s.st_atime_nsec),
        new PosixTime(s.st_mtime, s.st_mtime_nsec),
        new PosixTime(s.st_ctime, s.st_ctime_nsec));

    /// <summary>The S_IFMT bits mknod(2) takes for a kind it can make.</summary>
    internal static uint NodeTypeBits(FileKind kind) => kind switch
    {
        FileKind.CharDevice => 0x2000,
        FileKind.BlockDevice => 0x6000,
        FileKind.Fifo => 0x1000,
        FileKind.Socket => 0xC000,
        _ => throw new ArgumentException($"mknod cannot make a {kind}", nameof(kind)),
    };

    internal static FileKind KindOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.Symlink,
        0x2000 => FileKind.CharDevice,
        0x6000 => FileKind.BlockDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };
}
