using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// A name resolved through the stack: its topmost inode and, for a directory, every layer
/// whose directory it merges (topmost first, cut at an opaque one). The parent link is the
/// union parent, which is what ".." and copy-up of parents walk.
/// </summary>
internal sealed class UnionNode
{
    public UnionNode(UnionNode? parent, string path, string name, FileStat stat, UnionLayer layer,
        string realPath, DirHit[]? dirs, bool opaque)
    {
        Parent = parent;
        Path = path;
        Name = name;
        Stat = stat;
        Layer = layer;
        RealPath = realPath;
        Dirs = dirs;
        Opaque = opaque;
    }

    public UnionNode? Parent { get; }
    public string Path { get; }
    public string Name { get; }
    public FileStat Stat { get; }
    public UnionLayer Layer { get; }
    public string RealPath { get; }
    public DirHit[]? Dirs { get; }
    public bool Opaque { get; }

    public bool IsDirectory => Stat.IsDirectory;
    public bool IsRoot => Parent is null;

    /// <summary>In more than one layer: the kernel lists it merged and reports st_nlink 1.</summary>
    public bool IsMerged => Dirs is { Length: > 1 };

    public string ChildPath(string name) => Path.Length == 1 ? "/" + name : Path + "/" + name;

    public UnionEntry ToEntry() => new(
        Path, Name,
        // ovl_getattr: a merged directory reports nlink 1 (its real count is meaningless).
        IsMerged ? Stat with { NLink = 1 } : Stat,
        Layer.Ref, RealPath, IsMerged, Opaque);
}
