using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// The oracle: a real kernel overlay mount of a stack, driven by plain syscalls, each the one
/// matching a contract call (never glibc emulation: see ModeChanges): the opening calls follow a final symlink as open(2), opendir(3)
/// and truncate(2) do (the engine's OpenRead/ReadDir say so); the others do not (lchown,
/// fchmodat2(AT_SYMLINK_NOFOLLOW), utimensat(AT_SYMLINK_NOFOLLOW), l*xattr, link, rename).
/// O_NONBLOCK everywhere so that a fifo can never hang a run. Mounted by <see cref="KernelOverlay"/>
/// with options spelled out rather than left to the kernel's build config: the defaults
/// DESIGN.md names (redirect_dir=off, index=off, metacopy=off), and xino=off.
/// </summary>
public sealed class KernelUnion : IUnionUnderTest
{
    readonly LayerStack _stack;
    readonly string _mountPoint;
    KernelOverlay? _mount;

    public ITreeView View { get; }

    public KernelUnion(LayerStack stack, string mountPoint)
    {
        _stack = stack;
        _mountPoint = mountPoint;
        // userxattr (which the stack's user. prefix adds) implies redirect_dir=nofollow and
        // refuses redirect_dir=off as "follow"; neither creates redirects, which is what the
        // engine matches.
        var options = stack.XattrPrefix == "user."
            ? "index=off,metacopy=off,xino=off"
            : "redirect_dir=off,index=off,metacopy=off,xino=off";
        _mount = new KernelOverlay(stack, mountPoint, options);
        View = new DirectoryView(mountPoint);
    }

    string Real(string path) => path == "/" ? _mountPoint : _mountPoint + path;

    public void Apply(Op op)
    {
        var p = Real(op.Path);
        switch (op.Kind)
        {
            case OpKind.Write:
                WriteFile(p, op);
                break;
            case OpKind.Truncate:
                {
                    int fd = KernelCalls.Open(p, OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK);
                    try { KernelCalls.Ftruncate(fd, op.Offset, p); }
                    finally { KernelCalls.Close(fd); }
                    break;
                }
            case OpKind.Mkdir: Files.Mkdir(p, op.Mode); break;
            case OpKind.Symlink: Files.Symlink(op.Path2!, p); break;
            case OpKind.MkFifo: Files.MkNod(p, FileKind.Fifo, op.Mode); break;
            case OpKind.Link: Files.Link(p, Real(op.Path2!)); break;
            case OpKind.Unlink: Files.Unlink(p); break;
            case OpKind.Rmdir: Files.Rmdir(p); break;
            case OpKind.RemoveTree: RemoveTree(p); break;
            case OpKind.Rename: Files.Rename(p, Real(op.Path2!)); break;
            case OpKind.Chmod: ModeChanges.ChmodNoFollow(p, op.Mode); break;
            case OpKind.Chown: Files.LChown(p, op.Uid, op.Gid); break;
            case OpKind.SetTimes:
                {
                    var t = new PosixTime(op.TimeSec, op.TimeNsec);
                    Files.LUTimes(p, t, t);
                    break;
                }
            case OpKind.SetXattr: Xattrs.Set(p, op.Name!, op.Data); break;
            case OpKind.RemoveXattr: KernelCalls.RemoveXattr(p, op.Name!); break;
            default: throw new ArgumentException($"not a write: {op}");
        }
    }

    /// <summary>open(2) with the flags a <see cref="FileMode"/> stands for, write, close.</summary>
    static void WriteFile(string p, Op op)
    {
        var flags = OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK | op.FileMode switch
        {
            FileMode.CreateNew => OpenFlags.O_CREAT | OpenFlags.O_EXCL,
            FileMode.Create => OpenFlags.O_CREAT | OpenFlags.O_TRUNC,
            FileMode.OpenOrCreate => OpenFlags.O_CREAT,
            FileMode.Truncate => OpenFlags.O_TRUNC,
            FileMode.Append => OpenFlags.O_CREAT | OpenFlags.O_APPEND,
            _ => (OpenFlags)0,
        };
        int fd = KernelCalls.Open(p, flags, op.Mode);
        try
        {
            if (op.Offset > 0 && op.FileMode is FileMode.Open or FileMode.OpenOrCreate)
                KernelCalls.Seek(fd, op.Offset, p);
            KernelCalls.WriteAll(fd, op.Data, p);
        }
        finally { KernelCalls.Close(fd); }
    }

    /// <summary>rm -rf: children first, a non-directory is unlinked. Like rm -f, a child
    /// that is listed but cannot be found is passed over: a dir held by one layer lists its
    /// whiteouts raw, and a lookup of one says ENOENT.</summary>
    static void RemoveTree(string p)
    {
        var st = Files.LStat(p);
        if (st.IsDirectory)
        {
            foreach (var name in KernelCalls.ReadDirNames(p))
            {
                try { RemoveTree(p + "/" + name); }
                catch (PosixException e) when (e.Errno == Errno.ENOENT) { }
            }
            Files.Rmdir(p);
        }
        else
        {
            Files.Unlink(p);
        }
    }

    /// <summary>
    /// True when resolving the path through the mount climbs above its root by a relative
    /// link's "..": the kernel then walks on in the host's directories, while the engine stops
    /// at the union root (its confinement rule). Such an op says nothing about overlay rules,
    /// so the run skips it. Links are made by ops and renamed about, so this cannot be ruled
    /// out when generating. Absolute targets are not counted: the generator only makes ones
    /// that dangle both on the host and in the union.
    /// </summary>
    public bool LeavesRoot(string path, bool followFinal)
    {
        var pending = new LinkedList<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var at = new List<string>();
        for (int links = 0; pending.Count > 0;)
        {
            var name = pending.First!.Value;
            pending.RemoveFirst();
            if (name == ".")
                continue;
            if (name == "..")
            {
                if (at.Count == 0)
                    return true;
                at.RemoveAt(at.Count - 1);
                continue;
            }
            var real = _mountPoint + "/" + string.Join('/', at.Append(name));
            if (!Files.TryLStat(real, out var st))
                return false;
            if (st.IsSymlink && (pending.Count > 0 || followFinal))
            {
                var target = Files.ReadLink(real);
                if (target.StartsWith('/') || ++links > 40)
                    return false;
                foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                    pending.AddFirst(part);
                continue;
            }
            at.Add(name);
        }
        return false;
    }

    public FileKind? KindFollowingLinks(string path)
    {
        try { return Files.Stat(Real(path)).Kind; }
        catch (PosixException) { return null; }
    }

    public string? Finish()
    {
        Unmount();
        return _stack.Upper;
    }

    void Unmount()
    {
        var mount = _mount;
        _mount = null;
        mount?.Dispose();
    }

    public void Dispose()
    {
        try { Unmount(); }
        catch (PosixException)
        {
            Mount.Unmount(_mountPoint, detach: true);
        }
    }
}
