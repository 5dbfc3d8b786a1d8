using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Items;

/// <summary>
/// One item of an Overlay drive as scripts see it: what `ls -l` shows plus the layer that
/// supplies it. FullName is the drive path ("demo:/etc/hosts"), usable as -Path anywhere;
/// UnionPath is the path inside the union ("/etc/hosts"); RealPath is where the bytes are on
/// the host. (No property is called Path: cmdlets bind -Path from the pipeline by property
/// name, and a union path would be read as a host path.)
/// </summary>
public class OverlayItem
{
    /// <summary>The item for an entry: a directory has no Length, as a DirectoryInfo has
    /// none, so `Measure-Object Length -Sum` over a listing adds up files only (with a Length
    /// of 4096 per directory it counted and summed the directories too); anything else is an
    /// <see cref="OverlayFileItem"/>.</summary>
    /// <param name="union">The drive's engine, through which the settable properties write
    /// (null for the -ShowMarkers items, which stand for no file of the merged view).</param>
    /// <param name="names">How the drive names layers, owners and groups (the host's by default).</param>
    public static OverlayItem For(UnionEntry entry, string drive, string? target, IUnionFileSystem? union,
        string? marker = null, ItemNames? names = null) =>
        entry.IsDirectory ? new OverlayItem(entry, drive, target, union, marker, names)
            : new OverlayFileItem(entry, drive, target, union, marker, names);

    readonly ItemNames _names;

    protected OverlayItem(UnionEntry entry, string drive, string? target, IUnionFileSystem? union, string? marker, ItemNames? names)
    {
        Entry = entry;
        Drive = drive;
        Target = target;
        _union = union;
        Marker = marker;
        _names = names ?? ItemNames.Host;
    }

    /// <summary>The way back to the drive's engine. A field, not a property: PowerShell adapts
    /// public properties only, so Export-Clixml, ConvertTo-Json and Format-List never walk into
    /// the engine (a FileInfo likewise carries only its path).</summary>
    readonly IUnionFileSystem? _union;

    /// <summary>Null for items of the merged view; "whiteout" or "opaque" for the markers
    /// Get-ChildItem -ShowMarkers adds (a whiteout's Name is the name it hides; an opaque
    /// marker is named "." and stands for the listed directory).</summary>
    public string? Marker { get; }

    /// <summary>The engine's entry. Internal: a public property (even [Hidden]) is written by
    /// ConvertTo-Json and Export-Clixml, and its stat struct is no data for scripts; every
    /// field of it a script needs has a property of its own below.</summary>
    internal UnionEntry Entry { get; private set; }
    public string Drive { get; }

    public string Name => Entry.Path == "/" ? "/" : Entry.Name;
    public string UnionPath => Entry.Path;
    public string FullName => OverlayPath.Join(Drive, Entry.Path);
    /// <summary>The drive path of the containing directory (the listing's group header).</summary>
    public string Directory => Marker == "opaque"
        ? FullName // the marker stands for the listed directory itself
        : OverlayPath.Join(Drive, OverlayPath.UnionParent(Entry.Path) ?? "/");

    /// <summary>".txt" of "notes.txt" (.NET's Path.GetExtension, as FileInfo/DirectoryInfo
    /// have it; ".bashrc" for ".bashrc").</summary>
    public string Extension => System.IO.Path.GetExtension(Name);
    /// <summary>The name without its extension for a file, the name for a directory, as the
    /// FileSystem provider's BaseName: `Rename-Item -NewName { $_.BaseName + '.log' }`.</summary>
    public string BaseName => IsContainer || Extension.Length == 0 ? Name : Name[..^Extension.Length];

    public FileKind Kind => Entry.Kind;
    public bool IsContainer => Entry.IsDirectory;
    public string Mode => ModeString.Format(Entry.Kind, Entry.Stat.Mode);
    /// <summary>Same as Mode: the name the FileSystem provider uses on Unix.</summary>
    public string UnixMode => Mode;
    public uint ModeBits => Entry.Stat.Mode;
    public uint Uid => Entry.Stat.Uid;
    public uint Gid => Entry.Stat.Gid;
    /// <summary>The owner's name as the drive's tree knows it (an image's own /etc/passwd on
    /// a Docker drive, else the host's), or the uid when it has none.</summary>
    public string Owner => _names.User(Entry.Stat.Uid);
    public string Group => _names.Group(Entry.Stat.Gid);
    public ulong LinkCount => Entry.Stat.NLink;
    public ulong Inode => Entry.Stat.Inode;

    // The settable properties write through the engine (which copies a lower item up first,
    // as utimensat and chmod do on a kernel mount) and then show the item as it is now, as a
    // FileInfo does after its setters.

    public DateTime LastWriteTimeUtc
    {
        get => Entry.Stat.MTimeUtc;
        set => Change(fs => fs.SetTimes(UnionPath, Fresh().ATime, PosixTime.From(AsUtc(value))));
    }
    public DateTime LastWriteTime
    {
        get => LastWriteTimeUtc.ToLocalTime();
        set => Change(fs => fs.SetTimes(UnionPath, Fresh().ATime, PosixTime.From(value)));
    }
    public DateTime LastAccessTimeUtc
    {
        get => Entry.Stat.ATimeUtc;
        set => Change(fs => fs.SetTimes(UnionPath, PosixTime.From(AsUtc(value)), Fresh().MTime));
    }
    public DateTime LastAccessTime
    {
        get => LastAccessTimeUtc.ToLocalTime();
        set => Change(fs => fs.SetTimes(UnionPath, PosixTime.From(value), Fresh().MTime));
    }

    /// <summary>Directory, ReadOnly, Hidden (a dot-name), ReparsePoint (a symlink) or Normal,
    /// computed as .NET does on Linux. Setting it changes only ReadOnly: every write bit off,
    /// or the owner's write bit back (chmod of a link's target, as .NET does).</summary>
    public FileAttributes Attributes
    {
        get => UnixAttributes.Of(Name, Entry.Stat, Entry.IsDirectory || LinkTargetIsDirectory());
        set => ChangeMode(st => UnixAttributes.ModeAfter(st.Mode, value));
    }

    /// <summary>The permission bits as .NET's UnixFileMode (what FileSystemInfo.UnixFileMode
    /// gives on Linux); setting it is chmod.</summary>
    public UnixFileMode UnixFileMode
    {
        get => (UnixFileMode)(Entry.Stat.Mode & 0xFFF);
        set => ChangeMode(_ => (uint)value & 0xFFF);
    }
    public DateTime ChangeTimeUtc => Entry.Stat.CTimeUtc;
    public DateTime ChangeTime => ChangeTimeUtc.ToLocalTime();

    /// <summary>The symlink's target as stored (not resolved); null for other kinds.</summary>
    public string? Target { get; }
    /// <summary>"SymbolicLink" for symlinks, "HardLink" for files with several names, as the
    /// FileSystem provider reports it.</summary>
    public string? LinkType => Entry.Kind == FileKind.Symlink ? "SymbolicLink"
        : Entry.Kind == FileKind.Regular && Entry.Stat.NLink > 1 ? "HardLink" : null;

    /// <summary>"upper", or "lower1" for the topmost lower, "lower2", ...; on a Docker drive
    /// "rw", "init" or the layer's Position (as Get-OverlayLayer numbers it).</summary>
    public string Layer => _names.Layer(Entry.Layer);
    public string LayerRoot => Entry.Layer.Root;
    public string RealPath => Entry.RealPath;
    public bool IsMerged => Entry.IsMerged;
    public bool IsOpaque => Entry.IsOpaque;

    public override string ToString() => FullName;

    static DateTime AsUtc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t;

    IUnionFileSystem Union => _union ?? throw new InvalidOperationException(
        $"'{FullName}' is a {Marker} marker, not an item of the merged view: it cannot be changed.");

    /// <summary>The item's own metadata now (the other time of a utimensat is kept from it).</summary>
    FileStat Fresh() => Union.Stat(UnionPath).Stat;

    protected void Change(Action<IUnionFileSystem> write)
    {
        var fs = Union;
        write(fs);
        Entry = fs.Stat(UnionPath);
    }

    /// <summary>chmod of the item, or of a symlink's target (chmod(2) follows links; Linux
    /// has no mode on a link itself); no call when nothing changes, as .NET skips it too, so
    /// a lower file is not copied up for nothing.</summary>
    protected void ChangeMode(Func<FileStat, uint> newMode) => Change(fs =>
    {
        var path = Entry.Kind == FileKind.Symlink ? fs.ResolvePath(UnionPath) : UnionPath;
        var st = fs.Stat(path).Stat;
        var mode = newMode(st);
        if (mode != st.Mode)
            fs.Chmod(path, mode);
    });

    bool LinkTargetIsDirectory()
    {
        if (Entry.Kind != FileKind.Symlink || _union is null)
            return false;
        try { return _union.Lookup(_union.ResolvePath(UnionPath))?.IsDirectory == true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
}

/// <summary>An Overlay drive item that is not a directory (a file, symlink, fifo, device or
/// whiteout marker): an <see cref="OverlayItem"/> with a Length, as FileInfo has one.</summary>
public sealed class OverlayFileItem : OverlayItem
{
    internal OverlayFileItem(UnionEntry entry, string drive, string? target, IUnionFileSystem? union, string? marker, ItemNames? names)
        : base(entry, drive, target, union, marker, names)
    {
    }

    /// <summary>FileInfo.IsReadOnly: the ReadOnly attribute; setting it takes every write bit
    /// away, or gives the owner's back (directories have no IsReadOnly, as DirectoryInfo).</summary>
    public bool IsReadOnly
    {
        get => (Attributes & FileAttributes.ReadOnly) != 0;
        set => Attributes = value ? Attributes | FileAttributes.ReadOnly : Attributes & ~FileAttributes.ReadOnly;
    }

    public long Length => Entry.Stat.Size;
    /// <summary>The drive path of the containing directory, as FileInfo.DirectoryName.</summary>
    public string DirectoryName => Directory;
}
