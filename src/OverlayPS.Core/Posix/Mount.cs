using System.Runtime.InteropServices;
using System.Text;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// The mount family: mount(2), umount2(2) and the new mount API (fsopen, fsconfig, fsmount,
/// move_mount; Linux 5.2+). Mono.Posix has none of them. The new-API calls use glibc's
/// wrappers (glibc 2.36+, Debian 12); an older C library surfaces as ENOSYS, the same answer
/// an older kernel gives, so callers handle one case.
/// </summary>
public static partial class Mount
{
    // <linux/mount.h>
    public const ulong MS_RDONLY = 0x1;
    const int MNT_DETACH = 0x2;
    const uint FSOPEN_CLOEXEC = 0x1;
    const uint FSMOUNT_CLOEXEC = 0x1;
    public const uint MOUNT_ATTR_RDONLY = 0x1;
    const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    const int AT_FDCWD = -100;
    // <asm-generic/fcntl.h> (x86-64 and arm64 alike)
    const int O_DIRECTORY = 0x10000;
    const int O_CLOEXEC = 0x80000;
    const int O_PATH = 0x200000;

    enum FsConfigCommand : uint
    {
        SetFlag = 0,
        SetString = 1,
        SetFd = 5,
        CmdCreate = 6,
    }

    /// <summary>mount(2) with a filesystem-specific option string (at most one page, NUL included).</summary>
    public static void MountFs(string source, string target, string fsType, ulong flags, string data)
    {
        if (sys_mount(source, target, fsType, flags, data) != 0)
            throw LastError(target, "mount");
    }

    /// <summary>umount2(2); <paramref name="detach"/> is MNT_DETACH: gone from the namespace now,
    /// torn down when the last user lets go.</summary>
    public static void Unmount(string target, bool detach)
    {
        if (sys_umount2(target, detach ? MNT_DETACH : 0) != 0)
            throw LastError(target, "umount");
    }

    /// <summary>A filesystem context (fsopen). Dispose closes it.</summary>
    public static FsContext FsOpen(string fsName)
    {
        int fd = Call(() => sys_fsopen(fsName, FSOPEN_CLOEXEC), "fsopen");
        if (fd < 0)
            throw LastError(fsName, "fsopen");
        return new FsContext(fd);
    }

    /// <summary>Opens a directory as an O_PATH descriptor, to hand a layer to fsconfig by fd.</summary>
    public static SafeFd OpenPath(string dir)
    {
        // Mono's OpenFlags has no O_PATH (and would translate the bits), so open(2) directly.
        int fd = sys_open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            throw LastError(dir, "open");
        return new SafeFd(fd);
    }

    /// <summary>An fs_context file descriptor: fsconfig keys on it, then fsmount.</summary>
    public sealed class FsContext : IDisposable
    {
        readonly SafeFd fd;
        internal FsContext(int fd) { this.fd = new SafeFd(fd); }

        public void SetFlag(string key) =>
            Config(FsConfigCommand.SetFlag, key, null, 0);

        /// <summary>A string value; the kernel copies at most 255 bytes of it (strndup_user(.., 256)).</summary>
        public void SetString(string key, string value) =>
            Config(FsConfigCommand.SetString, key, value, 0);

        /// <summary>A value given as an open descriptor (overlayfs layers, Linux 6.13+).</summary>
        public void SetFd(string key, SafeFd value) =>
            Config(FsConfigCommand.SetFd, key, null, value.Fd);

        public void Create() => Config(FsConfigCommand.CmdCreate, null, null, 0);

        /// <summary>fsmount + move_mount: attach the created superblock at target.</summary>
        public void MountAt(string target, uint mountAttrs)
        {
            int mfd = Call(() => sys_fsmount(fd.Fd, FSMOUNT_CLOEXEC, mountAttrs), "fsmount");
            if (mfd < 0)
                throw LastError(target, "fsmount");
            using var mounted = new SafeFd(mfd);
            if (Call(() => sys_move_mount(mfd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH), "move_mount") != 0)
                throw LastError(target, "move_mount");
        }

        /// <summary>
        /// The messages the filesystem left on the context ("e overlayfs: ..." lines): for the new
        /// mount API this is where the kernel explains a refusal, instead of the kernel log.
        /// </summary>
        public IReadOnlyList<string> ReadLog()
        {
            var lines = new List<string>();
            var buf = new byte[4096];
            // Each read returns one message; ENODATA ends the queue.
            for (int i = 0; i < 64; i++)
            {
                long n;
                unsafe
                {
                    fixed (byte* b = buf)
                        n = Syscall.read(fd.Fd, b, (ulong)buf.Length);
                }
                if (n <= 0)
                    break;
                lines.Add(Encoding.UTF8.GetString(buf, 0, (int)n).TrimEnd('\n'));
            }
            return lines;
        }

        void Config(FsConfigCommand cmd, string? key, string? value, int aux)
        {
            if (Call(() => sys_fsconfig(fd.Fd, (uint)cmd, key, value, aux), "fsconfig") != 0)
                throw LastError(key ?? "create", "fsconfig");
        }

        public void Dispose() => fd.Dispose();
    }

    /// <summary>A plain file descriptor closed on dispose.</summary>
    public sealed class SafeFd : IDisposable
    {
        public int Fd { get; private set; }
        internal SafeFd(int fd) { Fd = fd; }
        public void Dispose()
        {
            if (Fd >= 0)
                Syscall.close(Fd);
            Fd = -1;
        }
    }

    static int Call(Func<int> call, string name)
    {
        try { return call(); }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.36 has no wrapper: same meaning as a kernel without the call.
            throw new PosixException(Errno.ENOSYS, null, $"{name}: the C library has no {name} wrapper (glibc 2.36+ needed)", null);
        }
    }

    static PosixException LastError(string? path, string op) =>
        new(AtCalls.LastErrno, path, op);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sys_mount(string source, string target, string fsType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sys_umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sys_open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsopen", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sys_fsopen(string fsName, uint flags);

    [LibraryImport("libc", EntryPoint = "fsconfig", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sys_fsconfig(int fd, uint cmd, string? key, string? value, int aux);

    [LibraryImport("libc", EntryPoint = "fsmount", SetLastError = true)]
    private static partial int sys_fsmount(int fd, uint flags, uint mountAttrs);

    [LibraryImport("libc", EntryPoint = "move_mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sys_move_mount(int fromDirFd, string fromPath, int toDirFd, string toPath, uint flags);
}
