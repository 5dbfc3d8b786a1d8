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
    public static OverlayItem For(UnionEntry entry, string drive, string? target, string? marker = null, ItemNames? names = null) =>
        entry.IsDirectory ? new OverlayItem(entry, drive, target, marker, names) : new OverlayFileItem(entry, drive, target, marker, names);

    readonly ItemNames _names;

    protected OverlayItem(UnionEntry entry, string drive, string? target, string? marker, ItemNames? names)
    {
        Entry = entry;
        Drive = drive;
        Target = target;
        Marker = marker;
        _names = names ?? ItemNames.Host;
    }

    /// <summary>Null for items of the merged view; "whiteout" or "opaque" for the markers
    /// Get-ChildItem -ShowMarkers adds (a whiteout's Name is the name it hides; an opaque
    /// marker is named "." and stands for the listed directory).</summary>
    public string? Marker { get; }

    /// <summary>The engine's entry, for scripts that want everything. Hidden from
    /// Format-List * and Get-Member (still there as .Entry): its record dump is noise.</summary>
    [System.Management.Automation.Hidden]
    public UnionEntry Entry { get; }
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

    public DateTime LastWriteTimeUtc => Entry.Stat.MTimeUtc;
    public DateTime LastWriteTime => LastWriteTimeUtc.ToLocalTime();
    public DateTime LastAccessTimeUtc => Entry.Stat.ATimeUtc;
    public DateTime LastAccessTime => LastAccessTimeUtc.ToLocalTime();
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
}

/// <summary>An Overlay drive item that is not a directory (a file, symlink, fifo, device or
/// whiteout marker): an <see cref="OverlayItem"/> with a Length, as FileInfo has one.</summary>
public sealed class OverlayFileItem : OverlayItem
{
    internal OverlayFileItem(UnionEntry entry, string drive, string? target, string? marker, ItemNames? names)
        : base(entry, drive, target, marker, names)
    {
    }

    public long Length => Entry.Stat.Size;
    /// <summary>The drive path of the containing directory, as FileInfo.DirectoryName.</summary>
    public string DirectoryName => Directory;
}
