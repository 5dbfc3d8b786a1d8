namespace OverlayPS.Core.Posix;

/// <summary>
/// open(2) flags as Core names them. The values are not the kernel's (those differ between
/// x86-64 and arm64 for O_DIRECTORY, O_NOFOLLOW, O_DIRECT); Posix/ translates them to the
/// running architecture's bits (<see cref="MonoVocabulary.NativeBits(OpenFlags)"/>) at the call.
/// </summary>
[Flags]
public enum OpenFlags
{
    O_RDONLY = 0,
    O_WRONLY = 1,
    O_RDWR = 2,
    O_CREAT = 0x40,
    O_EXCL = 0x80,
    O_NOCTTY = 0x100,
    O_TRUNC = 0x200,
    O_APPEND = 0x400,
    O_NONBLOCK = 0x800,
    O_SYNC = 0x1000,
    O_DIRECTORY = 0x10000,
    O_NOFOLLOW = 0x20000,
    O_CLOEXEC = 0x80000,
}
