using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// open(2) and what is done with a descriptor (fsync, ftruncate). Files are always opened with
/// O_NOFOLLOW | O_CLOEXEC: the engine resolves symlinks itself, inside the union's root, so a
/// final symlink met here is a race or an attack, never something to follow on the host.
/// </summary>
public static class OpenFiles
{
    public static SafeFileHandle Open(string path, OpenFlags flags, uint mode = 0)
    {
        flags |= OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;
        int fd = (flags & OpenFlags.O_CREAT) != 0
            ? Syscall.open(path, MonoVocabulary.ToMono(flags), (FilePermissions)(mode & 0xFFF))
            : Syscall.open(path, MonoVocabulary.ToMono(flags));
        if (fd < 0)
            throw PosixException.FromLastError(path, "open");
        return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }

    /// <summary>A FileStream over an open descriptor (the stream owns it).</summary>
    public static FileStream ToStream(SafeFileHandle handle, FileAccess access, int bufferSize = 4096) =>
        new(handle, access, bufferSize);

    public static void Fsync(SafeFileHandle handle, string? path = null)
    {
        if (Syscall.fsync((int)handle.DangerousGetHandle()) != 0)
            throw PosixException.FromLastError(path, "fsync");
    }

    public static void Truncate(SafeFileHandle handle, long length, string? path = null)
    {
        if (Syscall.ftruncate((int)handle.DangerousGetHandle(), length) != 0)
            throw PosixException.FromLastError(path, "ftruncate");
    }

    public static FileStat FStat(SafeFileHandle handle, string? path = null)
    {
        if (Syscall.fstat((int)handle.DangerousGetHandle(), out var s) != 0)
            throw PosixException.FromLastError(path, "fstat");
        return FileStat.From(s);
    }
}
