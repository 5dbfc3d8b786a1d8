using Microsoft.Win32.SafeHandles;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// open(2) for writing: an existing file is copied up first (ovl_open copies up on any
    /// write or O_TRUNC open), a new one is created in upper. A final symlink is followed
    /// inside the union. The stream writes the upper file directly.
    /// </summary>
    public Stream OpenWrite(string path, FileMode fileMode, uint createMode = 0x1A4)
    {
        using var write = BeginWrite();
        var flags = fileMode switch
        {
            FileMode.CreateNew => OpenFlags.O_CREAT | OpenFlags.O_EXCL,
            FileMode.Create => OpenFlags.O_CREAT | OpenFlags.O_TRUNC,
            FileMode.Open => (OpenFlags)0,
            FileMode.OpenOrCreate => OpenFlags.O_CREAT,
            FileMode.Truncate => OpenFlags.O_TRUNC,
            FileMode.Append => OpenFlags.O_CREAT | OpenFlags.O_APPEND,
            _ => throw new ArgumentOutOfRangeException(nameof(fileMode)),
        };
        flags |= OpenFlags.O_WRONLY;
        var handle = OpenForWrite(path, flags, createMode);
        return OpenFiles.ToStream(handle, FileAccess.Write);
    }

    SafeFileHandle OpenForWrite(string path, OpenFlags flags, uint createMode)
    {
        if ((flags & OpenFlags.O_EXCL) != 0)
        {
            // O_CREAT|O_EXCL never follows a final symlink: any existing name is EEXIST, even
            // before a read-only mount is noticed.
            if (TryResolve(path, followFinal: false, out _, out _))
                throw Error(Errno.EEXIST, path, "open");
        }
        if (TryResolve(path, followFinal: true, out var node, out var errno))
        {
            if ((flags & OpenFlags.O_EXCL) != 0)
                throw Error(Errno.EEXIST, path, "open");
            if (node.IsDirectory)
                throw Error(Errno.EISDIR, path, "open");
            RequireUpper(path, "open");
            bool truncating = (flags & OpenFlags.O_TRUNC) != 0;
            var upper = CopyUp(node, withData: !truncating || !node.Stat.IsRegular);
            return upper.Dir.OpenFile(upper.Name, flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL));
        }
        if (errno != Errno.ENOENT || (flags & OpenFlags.O_CREAT) == 0)
            throw Error(errno, path, "open");
        var (parent, name) = ResolveParent(path, "open", Errno.EISDIR, Errno.EISDIR, Errno.EISDIR);
        // O_CREAT through a dangling symlink creates its target (inside the union); with
        // O_EXCL a symlink is never followed: EEXIST.
        for (int links = 0; LookupChild(parent, name) is { } link; links++)
        {
            if (!link.Stat.IsSymlink || (flags & OpenFlags.O_EXCL) != 0)
                throw Error(Errno.EEXIST, path, "open");
            if (links >= MaxSymlinks)
                throw Error(Errno.ELOOP, path, "open");
            (parent, name) = ResolveParent(link.Container!.ReadLink(link.Name), "open",
                Errno.EISDIR, Errno.EISDIR, Errno.EISDIR, start: parent);
        }
        RequireUpper(path, "open");
        return CreateInUpper(parent, name, isDir: false,
            (d, n) => d.OpenFile(n, flags | OpenFlags.O_CREAT | OpenFlags.O_EXCL, createMode));
    }

    public void Mkdir(string path, uint mode = 0x1ED)
    {
        using var write = BeginWrite();
        var (parent, name) = ParentForCreate(path, "mkdir");
        CreateInUpper(parent, name, isDir: true, (d, n) => { d.Mkdir(n, mode); return 0; });
    }

    public void Symlink(string target, string path)
    {
        ArgumentNullException.ThrowIfNull(target);
        RequireNoNul(target, path, "symlink");
        using var write = BeginWrite();
        var (parent, name) = ParentForCreate(path, "symlink");
        CreateInUpper(parent, name, isDir: false, (d, n) => { d.Symlink(target, n); return 0; });
    }

    public void MkFifo(string path, uint mode = 0x1A4)
    {
        using var write = BeginWrite();
        var (parent, name) = ParentForCreate(path, "mknod");
        CreateInUpper(parent, name, isDir: false, (d, n) => { d.MkNod(n, FileKind.Fifo, mode); return 0; });
    }

    /// <summary>
    /// link(2): the source is copied up first (ovl_link), then linked in upper. With the
    /// kernel default index=off, a lower file's other hard links are not followed up: they
    /// keep showing the lower inode, so the link is broken by the copy-up, as in the kernel.
    /// </summary>
    public void Link(string existingPath, string newPath)
    {
        using var write = BeginWrite();
        var source = Resolve(existingPath, followFinal: false, "link");
        var (parent, name) = ResolveParent(newPath, "link", Errno.EEXIST, Errno.EEXIST, Errno.EEXIST);
        if (LookupChild(parent, name) is not null)
            throw Error(Errno.EEXIST, newPath, "link");
        RequireUpper(newPath, "link");       // the new name's write access comes before vfs_link's EPERM
        if (source.IsDirectory)
            throw Error(Errno.EPERM, existingPath, "link");
        var upperSource = CopyUp(source, dataNeeded: false);     // ovl_link: a metacopy may do
        CreateInUpper(parent, name, isDir: false, (d, n) => { upperSource.Dir.Link(upperSource.Name, d, n); return 0; }, isHardLink: true);
    }
}
