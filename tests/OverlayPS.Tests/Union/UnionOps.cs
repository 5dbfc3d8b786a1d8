using Native = Mono.Unix.Native;
using System.Text;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// The operations the named tests apply, twice: through a kernel mount with plain syscalls
/// (the oracle) and through the engine. Each returns the errno (0 on success).
/// </summary>
public abstract class UnionOps
{
    public abstract Errno Write(string path, string content, bool append = false);
    public abstract Errno Mkdir(string path, uint mode = 0x1ED);
    public abstract Errno Symlink(string target, string path);
    public abstract Errno Fifo(string path);
    public abstract Errno Link(string from, string to);
    public abstract Errno Unlink(string path);
    public abstract Errno Rmdir(string path);
    public abstract Errno RmTree(string path);
    public abstract Errno Rename(string from, string to);
    public abstract Errno Truncate(string path, long length);
    public abstract Errno Chmod(string path, uint mode);
    public abstract Errno Chown(string path, uint uid, uint gid);
    public abstract Errno Touch(string path, long seconds);
    public abstract Errno SetXattr(string path, string name, string value);
    public abstract Errno RemoveXattr(string path, string name);
    /// <summary>Reads a file's text; null with the errno when it cannot.</summary>
    public abstract (string? Text, Errno Errno) Read(string path);

    protected static Errno Sys(int rc) => rc == 0 ? 0 : MonoVocabulary.LastError();
    protected static PosixTime[] Times(long seconds) =>
        new[] { new PosixTime(seconds, 1), new PosixTime(seconds, 2) };
}

public sealed class KernelOps : UnionOps
{
    readonly string _mnt;
    public KernelOps(string mountPoint) => _mnt = mountPoint;
    string P(string p) => _mnt + p;

    public override Errno Write(string path, string content, bool append = false)
    {
        var flags = OpenFlags.O_CLOEXEC | OpenFlags.O_WRONLY | OpenFlags.O_CREAT | (append ? OpenFlags.O_APPEND : OpenFlags.O_TRUNC);
        int fd = Native.Syscall.open(P(path), MonoVocabulary.ToMono(flags), (Native.FilePermissions)0x1A4);
        if (fd < 0)
            return MonoVocabulary.LastError();
        using var s = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, true), FileAccess.Write, 1);
        s.Write(Encoding.UTF8.GetBytes(content));
        return 0;
    }
    public override Errno Mkdir(string path, uint mode = 0x1ED) => Sys(Native.Syscall.mkdir(P(path), (Native.FilePermissions)mode));
    public override Errno Symlink(string target, string path) => Sys(Native.Syscall.symlink(target, P(path)));
    public override Errno Fifo(string path) => Sys(Native.Syscall.mknod(P(path), (Native.FilePermissions)(0x1000 | 0x1A4), 0));
    public override Errno Link(string from, string to) => Sys(Native.Syscall.link(P(from), P(to)));
    public override Errno Unlink(string path) => Sys(Native.Syscall.unlink(P(path)));
    public override Errno Rmdir(string path) => Sys(Native.Syscall.rmdir(P(path)));
    public override Errno RmTree(string path) => RemoveHost(P(path));

    /// <summary>What rm -rf does: children first, then the directory.</summary>
    static Errno RemoveHost(string p)
    {
        if (Native.Syscall.lstat(p, out var st) != 0)
            return MonoVocabulary.LastError();
        if ((st.st_mode & Native.FilePermissions.S_IFMT) != Native.FilePermissions.S_IFDIR)
            return Sys(Native.Syscall.unlink(p));
        var names = new List<string>();
        using (var r = DirectoryReader.Open(p))
            while (r.Next(out var n, out _))
                names.Add(n);
        foreach (var n in names)
        {
            var e = RemoveHost(p + "/" + n);
            if (e != 0)
                return e;
        }
        return Sys(Native.Syscall.rmdir(p));
    }
    public override Errno Rename(string from, string to) => Sys(Native.Stdlib.rename(P(from), P(to)));
    public override Errno Truncate(string path, long length) => Sys(Native.Syscall.truncate(P(path), length));
    public override Errno Chmod(string path, uint mode) =>
        Sys(Native.Syscall.fchmodat(Native.Syscall.AT_FDCWD, P(path), (Native.FilePermissions)mode, Native.AtFlags.AT_SYMLINK_NOFOLLOW));
    public override Errno Chown(string path, uint uid, uint gid) => Sys(Native.Syscall.lchown(P(path), uid, gid));
    public override Errno Touch(string path, long seconds) =>
        Sys(Native.Syscall.utimensat(Native.Syscall.AT_FDCWD, P(path), Array.ConvertAll(Times(seconds), t => MonoVocabulary.ToMono(t)), Native.AtFlags.AT_SYMLINK_NOFOLLOW));
    public override Errno SetXattr(string path, string name, string value) =>
        Sys(Native.Syscall.lsetxattr(P(path), name, Encoding.UTF8.GetBytes(value)));
    public override Errno RemoveXattr(string path, string name) => Sys(Native.Syscall.lremovexattr(P(path), name));
    public override (string?, Errno) Read(string path)
    {
        try { return (File.ReadAllText(P(path)), 0); }
        catch (Exception)
        {
            var rc = Native.Syscall.stat(P(path), out var st);
            return (null, rc != 0 ? MonoVocabulary.LastError() : ((st.st_mode & Native.FilePermissions.S_IFDIR) != 0 ? Errno.EISDIR : Errno.EIO));
        }
    }
}

public sealed class EngineOps : UnionOps
{
    readonly IUnionFileSystem _fs;
    public EngineOps(IUnionFileSystem fs) => _fs = fs;

    static Errno Try(Action a)
    {
        try { a(); return 0; }
        catch (PosixException e) { return e.Errno; }
    }

    public override Errno Write(string path, string content, bool append = false) => Try(() =>
    {
        using var s = _fs.OpenWrite(path, append ? FileMode.Append : FileMode.Create);
        s.Write(Encoding.UTF8.GetBytes(content));
    });
    public override Errno Mkdir(string path, uint mode = 0x1ED) => Try(() => _fs.Mkdir(path, mode));
    public override Errno Symlink(string target, string path) => Try(() => _fs.Symlink(target, path));
    public override Errno Fifo(string path) => Try(() => _fs.MkFifo(path));
    public override Errno Link(string from, string to) => Try(() => _fs.Link(from, to));
    public override Errno Unlink(string path) => Try(() => _fs.Unlink(path));
    public override Errno Rmdir(string path) => Try(() => _fs.Rmdir(path));
    public override Errno RmTree(string path) => Try(() => _fs.RemoveTree(path));
    public override Errno Rename(string from, string to) => Try(() => _fs.Rename(from, to));
    public override Errno Truncate(string path, long length) => Try(() => _fs.Truncate(path, length));
    public override Errno Chmod(string path, uint mode) => Try(() => _fs.Chmod(path, mode));
    public override Errno Chown(string path, uint uid, uint gid) => Try(() => _fs.Chown(path, uid, gid));
    public override Errno Touch(string path, long seconds) =>
        Try(() => _fs.SetTimes(path, Times(seconds)[0], Times(seconds)[1]));
    public override Errno SetXattr(string path, string name, string value) =>
        Try(() => _fs.SetXattr(path, name, Encoding.UTF8.GetBytes(value)));
    public override Errno RemoveXattr(string path, string name) => Try(() => _fs.RemoveXattr(path, name));
    public override (string?, Errno) Read(string path)
    {
        try
        {
            using var r = new StreamReader(_fs.OpenRead(path));
            return (r.ReadToEnd(), 0);
        }
        catch (PosixException e) { return (null, e.Errno); }
    }
}
