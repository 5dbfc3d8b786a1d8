using System.Buffers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Transfer;

/// <summary>How a copy treats metadata and what is already at the destination.</summary>
/// <param name="Recurse">Copy a directory's contents too (else just the directory).</param>
/// <param name="KeepMetadata">Mode, times (and owner when root) of each object, like cp -a;
/// otherwise objects get what Copy-Item gives them (files keep their mode bits and times, as
/// .NET's File.Copy does; directories get 0777 minus the umask and the time of the copy).</param>
/// <param name="Overwrite">Replace an existing file at the destination.</param>
/// <param name="FollowSymlinks">Copy what a symlink points to instead of the link, as
/// Copy-Item does (File.Copy opens the target); a dangling link is then an error. Otherwise
/// links are copied as links, like cp -a.</param>
public sealed record TreeCopyOptions(bool Recurse, bool KeepMetadata, bool Overwrite, bool FollowSymlinks = false);

/// <summary>
/// Copies a file or a tree from one side to another (union to host, host to union, union to
/// union), streaming data, symlinks kept as symlinks, one failure per object reported and the
/// walk going on (what Copy-Item does per item).
/// </summary>
public sealed class TreeCopy
{
    readonly ITreeSide _from;
    readonly ITreeSide _to;
    readonly TreeCopyOptions _options;

    /// <summary>Asked before each object; true stops the walk (the cmdlet's Stopping).</summary>
    public Func<bool> Stopping { get; init; } = () => false;
    /// <summary>Asked before each object is written (ShouldProcess); false skips it.</summary>
    public Func<string, string, bool> Approve { get; init; } = (_, _) => true;
    /// <summary>Told of each object written: source, destination.</summary>
    public Action<string, string> Copied { get; init; } = (_, _) => { };
    /// <summary>Asked for each file (any non-directory) met below the top, by name; false
    /// skips it. Copy-Item's -Filter and -Exclude, which the FileSystem provider applies to
    /// files only, every directory being copied.</summary>
    public Func<string, bool> CopiesFile { get; init; } = _ => true;
    /// <summary>Told of each directory that already existed at the destination (its content is
    /// copied into it): Copy-Item reports it, as FileSystem does, unless -Force.</summary>
    public Action<string> MergedInto { get; init; } = _ => { };
    /// <summary>Told of each object that failed; the walk goes on.</summary>
    public Action<Exception, string> Failed { get; init; } = (e, _) => throw e;
    /// <summary>Told how far the copy has got (objects, bytes, the current source), at the
    /// first object, then at most once per <see cref="ProgressInterval"/>, between objects and
    /// between the chunks of a big file. There is no total: counting the tree first would cost
    /// a second walk, more than the report is worth on a tree of small files.</summary>
    public Action<TransferProgress> Progress { get; init; } = _ => { };
    public TimeSpan ProgressInterval { get; init; } = ProgressTicker.DefaultInterval;

    ProgressTicker? _ticker;
    long _items, _bytes;

    public TreeCopy(ITreeSide from, ITreeSide to, TreeCopyOptions options)
    {
        _from = from;
        _to = to;
        _options = options;
    }

    /// <summary>Copies source to exactly destination (the caller decides "into a directory").</summary>
    public void Copy(string source, string destination)
    {
        _ticker ??= new ProgressTicker(ProgressInterval);
        var st = _from.Lookup(source) ?? throw new PosixException(Errno.ENOENT, source, "copy");
        CopyObject(source, st, destination);
    }

    void Done(string source, string destination)
    {
        _items++;
        Copied(source, destination);
        Report(source);
    }

    void Report(string current)
    {
        if (_ticker!.Due())
            Progress(new TransferProgress(_items, _bytes, current, _ticker.Elapsed));
    }

    void CopyObject(string source, FileStat st, string destination)
    {
        if (Stopping())
            return;
        Report(source);
        if (!Approve(source, destination))
            return;
        try
        {
            if (st.IsSymlink && _options.FollowSymlinks)
                st = _from.LookupFollowing(source)
                    ?? throw new PosixException(Errno.ENOENT, source, "copy the target of the symbolic link");
            var existing = _to.Lookup(destination);
            switch (st.Kind)
            {
                case FileKind.Directory:
                    // Followed symlinks can lead back into the tree (a link to ".."): Copy-Item
                    // on the FileSystem provider then copies until the path is too long. Stop
                    // at a directory already being copied above this one instead.
                    if (_made.Contains((st.Device, st.Inode)))
                        throw new IOException($"Cannot copy '{source}' into itself: the destination is inside the directory being copied.");
                    if (!_copying.Add((st.Device, st.Inode)))
                        throw new PosixException(Errno.ELOOP, source, "copy (a symbolic link leads back into the tree being copied)");
                    try { CopyDirectory(source, st, destination, existing); }
                    finally { _copying.Remove((st.Device, st.Inode)); }
                    break;
                case FileKind.Regular:
                    RefuseExisting(existing, destination);
                    RefuseSameFile(st, destination);
                    CopyData(source, destination, st.Mode, created: existing is null);
                    if (!_options.KeepMetadata)
                    {
                        // What File.Copy does on Unix (so Copy-Item on FileSystem): the source's
                        // permission bits (not setuid, setgid or sticky: seen over a kernel
                        // mount, 04755 arrives as 0755), past the umask and onto a file that was
                        // there, and its access and write times (as stat'ed before the copy read it).
                        // A link at the destination was written through, and so are these.
                        var written = existing is { IsSymlink: true } ? _to.WrittenPath(destination) : destination;
                        _to.Chmod(written, st.Mode & 0x1FF);
                        _to.SetTimes(written, st.ATime, st.MTime);
                    }
                    Done(source, destination);
                    break;
                case FileKind.Symlink:
                    RefuseExisting(existing, destination, replaceable: false);
                    _to.Symlink(_from.ReadLink(source), destination);
                    Done(source, destination);
                    break;
                case FileKind.Fifo:
                    RefuseExisting(existing, destination, replaceable: false);
                    _to.MkFifo(destination, st.Mode);
                    Done(source, destination);
                    break;
                default:
                    throw new PosixException(Errno.EOPNOTSUPP, source, $"copy of a {st.Kind}");
            }
            if (_options.KeepMetadata)
                CopyMetadata(st, destination);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failed(e, source);
        }
    }

    /// <summary>The bytes of one file. A file this copy created and could not fill (a read
    /// error half way, /proc/self/mem say) is removed again rather than left half-written; one
    /// that was being overwritten is already truncated and stays, as with Copy-Item.</summary>
    void CopyData(string source, string destination, uint mode, bool created)
    {
        using var input = _from.OpenRead(source);
        var output = _to.Create(destination, mode);
        try
        {
            using (output)
                CopyBytes(input, output, source);
        }
        catch (Exception e) when (created && e is IOException or UnauthorizedAccessException)
        {
            // The copy's own error is the one to report; a failed clean-up adds nothing to it.
            try { _to.Unlink(destination); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Stream.CopyTo, with a progress check per chunk (a 1.5 GB file is many seconds).</summary>
    void CopyBytes(Stream input, Stream output, string source)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, n);
                _bytes += n;
                Report(source);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    void CopyDirectory(string source, FileStat st, string destination, FileStat? existing)
    {
        if (existing is { IsDirectory: false })
            throw new PosixException(Errno.EEXIST, destination, "mkdir");
        if (existing is null)
            _to.Mkdir(destination, _options.KeepMetadata ? st.Mode : 0x1FF);
        else
            MergedInto(destination);
        if (_to.Lookup(destination) is { } made)
            _made.Add((made.Device, made.Inode));
        Done(source, destination);
        if (_options.Recurse)
            CopyChildren(source, destination);
    }

    /// <summary>The directories (device, inode) being copied on the current path.</summary>
    readonly HashSet<(ulong, ulong)> _copying = new();

    /// <summary>The destination directories (device, inode) written so far: met again in the
    /// source walk, the copy is going into itself (a destination inside the source) and would
    /// only end when the path grows too long.</summary>
    readonly HashSet<(ulong, ulong)> _made = new();

    void CopyChildren(string source, string destination)
    {
        foreach (var name in _from.ListNames(source))
        {
            if (Stopping())
                return;
            var child = _from.Combine(source, name);
            var st = _from.Lookup(child);
            if (st is null)
                continue; // gone since the listing
            if (!st.Value.IsDirectory && !CopiesFile(name))
                continue;
            CopyObject(child, st.Value, _to.Combine(destination, name));
        }
    }

    /// <summary>A destination that is the source itself (the same path, a link to it, a hard
    /// link of it, or a union file's real path on the host) would be truncated before it is
    /// read: cp refuses ("are the same file"), so does .NET's File.Copy, and so does this.</summary>
    void RefuseSameFile(FileStat source, string destination)
    {
        if (_to.LookupFollowing(destination) is { } d && d.Device == source.Device && d.Inode == source.Inode)
            throw new IOException($"Cannot copy '{destination}' onto itself: the source and the destination are the same file.");
    }

    void RefuseExisting(FileStat? existing, string destination, bool replaceable = true)
    {
        if (existing is null)
            return;
        if (existing.Value.IsDirectory)
            throw new PosixException(Errno.EISDIR, destination, "copy");
        if (!_options.Overwrite || !replaceable)
            throw new PosixException(Errno.EEXIST, destination, "copy");
    }

    /// <summary>Owner first (chown clears setuid bits), then mode, then times last: writing
    /// children or data moves mtime, as cp -a orders it.</summary>
    void CopyMetadata(FileStat st, string destination)
    {
        if (Files.IsRoot)
            _to.Chown(destination, st.Uid, st.Gid);
        if (!st.IsSymlink)
            _to.Chmod(destination, st.Mode);
        _to.SetTimes(destination, st.ATime, st.MTime);
    }
}
