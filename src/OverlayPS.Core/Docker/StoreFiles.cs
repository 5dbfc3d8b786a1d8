using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>
/// The only way the store reader reaches the store's own files: every name is relative to the
/// store root's held descriptor and opened beneath it with no symlink anywhere on the way
/// (<see cref="DirHandle.ReadRegularFileBeneath"/>), so a link, a FIFO, /dev/zero or a huge
/// file planted in the store is never followed, never blocks and is never read whole. Such a
/// file, and an id of the wrong form, is recorded as a finding (Test-OverlayStore reports it)
/// and reads as absent: a damaged or hostile store is something to report, not to crash on
/// or to read the host through. Permission problems still surface as PosixException.
/// <see cref="OpenDir"/> gives the same reader on one store dir (a layerdb entry, an overlay2
/// dir), so each of its files costs one single-component open; findings are shared.
/// </summary>
internal sealed class StoreFiles : IDisposable
{
    /// <summary>moby's id files (cache-id, mount-id, link, lower, size, diff...) are a few
    /// hundred bytes at most: a lower file of 126 links is about 3.5 KiB.</summary>
    public const int IdFileCap = 4 * 1024;
    /// <summary>Image and container configs: a large image config is some hundred KiB.</summary>
    public const int JsonCap = 16 * 1024 * 1024;

    sealed class Shared
    {
        public required string RootPath { get; init; }
        public List<StoreFinding> Findings { get; } = new();
        public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);
    }

    readonly DirHandle _dir;        // the dir this reader is on: the store root, or one below it
    readonly string _base;          // its path from the store root ("" for the root)
    readonly Shared _shared;
    readonly bool _ownsDir;

    /// <summary>A reader on the store root (held by the caller).</summary>
    public StoreFiles(DirHandle root, string rootPath) : this(root, "", new Shared { RootPath = rootPath }, false) { }

    StoreFiles(DirHandle dir, string relBase, Shared shared, bool ownsDir)
    {
        _dir = dir;
        _base = relBase;
        _shared = shared;
        _ownsDir = ownsDir;
    }

    public void Dispose()
    {
        if (_ownsDir)
            _dir.Dispose();
    }

    /// <summary>
    /// The same reader on a store dir below this one; null when it is not there or not a
    /// directory. A symlink there is a LinkedLayerDir finding and null: it is never followed.
    /// </summary>
    public StoreFiles? OpenDir(string rel, string subject)
    {
        DirHandle dir;
        try { dir = _dir.OpenBeneath(rel); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            // O_NOFOLLOW | O_DIRECTORY on a final symlink fails with ENOTDIR, not ELOOP.
            if (Stat(rel) is { IsSymlink: true })
                RefuseLinkedDir(rel, subject);
            return null;
        }
        catch (PosixException e) when (e.Errno is Errno.ELOOP)
        {
            RefuseLinkedDir(rel, subject);
            return null;
        }
        return new StoreFiles(dir, Rel(rel), _shared, ownsDir: true);
    }

    /// <summary>What was refused while reading, in the order met.</summary>
    public IReadOnlyList<StoreFinding> Findings => _shared.Findings;

    /// <summary>Full paths of the files refused (not read), so a check does not also call them missing.</summary>
    public IReadOnlySet<string> Refused => _shared.Refused;

    string Rel(string rel) => _base.Length == 0 ? rel : rel.Length == 0 ? _base : _base + "/" + rel;

    /// <summary>The full path of a name relative to this reader's dir, for messages.</summary>
    public string FullPath(string rel) => Rel(rel) is { Length: > 0 } r ? Path.Combine(_shared.RootPath, r) : _shared.RootPath;

    /// <summary>A small text file, trimmed; null when absent or refused.</summary>
    public string? ReadSmall(string rel, string subject) =>
        Read(rel, IdFileCap, subject) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes).Trim() : null;

    /// <summary>A JSON file's bytes; null when absent or refused.</summary>
    public byte[]? ReadJson(string rel, string subject) => Read(rel, JsonCap, subject);

    /// <summary>
    /// An id file whose content is used as a path component: read, then checked against the
    /// form moby writes. Empty reads as null (moby writes empty init-id/parent files); any other
    /// value of the wrong form is an UnsafeId finding and reads as null.
    /// </summary>
    public string? ReadId(string rel, string subject, Func<string, bool> valid, string form)
    {
        var text = ReadSmall(rel, subject);
        if (string.IsNullOrEmpty(text))
            return null;
        if (valid(text))
            return text;
        RefuseId(rel, subject, text, form);
        return null;
    }

    /// <summary>Records an id of the wrong form read from <paramref name="rel"/>.</summary>
    public void RefuseId(string rel, string subject, string value, string form) =>
        Refuse(StoreProblem.UnsafeId, rel, subject,
            $"'{FullPath(rel)}' holds '{StoreIds.Show(value)}', not {form}: it is not used as a path.");

    byte[]? Read(string rel, int cap, string subject)
    {
        var r = _dir.ReadRegularFileBeneath(rel, cap);
        switch (r.Status)
        {
            case BoundedReadStatus.Read:
                return r.Data;
            case BoundedReadStatus.Symlink:
                Refuse(StoreProblem.NotRegularFile, rel, subject,
                    $"'{FullPath(rel)}' is (or lies under) a symlink, where docker writes a regular file: it is not followed.");
                return null;
            case BoundedReadStatus.NotRegular:
                Refuse(StoreProblem.NotRegularFile, rel, subject,
                    $"'{FullPath(rel)}' is a {KindName(r.Kind)}, where docker writes a regular file: it is not read.");
                return null;
            case BoundedReadStatus.TooLarge:
                Refuse(StoreProblem.TooLarge, rel, subject,
                    $"'{FullPath(rel)}' is larger than {cap} bytes, more than docker ever writes there: it is not read.");
                return null;
            default:
                return null;
        }
    }

    /// <summary>Entries of a store dir (none when it is absent, or a symlink: see <see cref="OpenDir"/>).</summary>
    public List<string> Names(string relDir, string subject)
    {
        var names = new List<string>();
        using var dir = OpenDir(relDir, subject);
        if (dir is null)
            return names;
        using var reader = dir._dir.Read();
        while (reader.Next(out var name, out _))
            names.Add(name);
        return names;
    }

    /// <summary>lstat beneath the root; null when absent. A symlinked parent reads as absent
    /// (the caller that needs the parent reports it).</summary>
    public FileStat? Stat(string rel)
    {
        try { return _dir.TryStatBeneath(rel, out var st) ? st : null; }
        catch (PosixException e) when (e.Errno is Errno.ELOOP) { return null; }
    }

    /// <summary>
    /// True for a real directory. A symlink where a store dir belongs is a LinkedLayerDir
    /// finding and false: it is never followed.
    /// </summary>
    public bool IsDir(string rel, string subject)
    {
        if (Stat(rel) is not { } st)
            return false;
        if (st.IsSymlink)
        {
            RefuseLinkedDir(rel, subject);
            return false;
        }
        return st.IsDirectory;
    }

    public bool Exists(string rel) => Stat(rel) is not null;

    /// <summary>Every entry of a store dir with its symlink target (null for an entry that is
    /// not a symlink), read by readlinkat on the held dir: the links are never followed.</summary>
    public Dictionary<string, string?> Links(string relDir, string subject)
    {
        var links = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var dir = OpenDir(relDir, subject);
        if (dir is null)
            return links;
        using var reader = dir._dir.Read();
        while (reader.Next(out var name, out _))
        {
            try { links[name] = dir._dir.ReadLink(name); }
            catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.EINVAL) { links[name] = null; }
        }
        return links;
    }

    void RefuseLinkedDir(string rel, string subject) =>
        Refuse(StoreProblem.LinkedLayerDir, rel, subject,
            $"'{FullPath(rel)}' is a symlink, where docker keeps a directory: it is not followed, so nothing it points at is read.");

    void Refuse(StoreProblem problem, string rel, string subject, string message)
    {
        if (_shared.Refused.Add(FullPath(rel)))
            _shared.Findings.Add(new StoreFinding(problem, FullPath(rel), subject, message));
    }

    static string KindName(FileKind kind) => kind switch
    {
        FileKind.Directory => "directory",
        FileKind.Fifo => "FIFO",
        FileKind.CharDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
