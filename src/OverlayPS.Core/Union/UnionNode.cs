using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// A name resolved through the stack: its topmost inode and, for a directory, every layer
/// whose directory it merges (topmost first, cut at an opaque one). The parent link is the
/// union parent, which is what ".." and copy-up of parents walk. The inode is reached only
/// through <see cref="Container"/>, the held directory of its layer that holds the name (the
/// root has none: its layers' roots are its <see cref="Dirs"/>).
/// </summary>
internal sealed class UnionNode
{
    public UnionNode(UnionNode? parent, string path, string name, FileStat stat, UnionLayer layer,
        DirHandle? container, DirHit[]? dirs, bool opaque)
    {
        Parent = parent;
        Path = path;
        Name = name;
        Stat = stat;
        Layer = layer;
        Container = container;
        Dirs = dirs;
        Opaque = opaque;
    }

    public UnionNode? Parent { get; }
    public string Path { get; }
    public string Name { get; }
    public FileStat Stat { get; }
    public UnionLayer Layer { get; }
    /// <summary>The directory of <see cref="Layer"/> holding this name; null for the root.</summary>
    public DirHandle? Container { get; }
    /// <summary>Where the inode is on the host (display only).</summary>
    public string RealPath => Container?.Describe(Name) ?? Layer.Root;
    public DirHit[]? Dirs { get; }
    public bool Opaque { get; }

    public bool IsDirectory => Stat.IsDirectory;

    /// <summary>For a metacopy file, where its data is (a plain regular file in a layer
    /// below); null when the inode holds its own data.</summary>
    public LayerEntry? Data { get; private init; }

    public LayerEntry DataLocation => Data ?? Location;

    public UnionNode WithData(LayerEntry data) =>
        new(Parent, Path, Name, Stat, Layer, Container, Dirs, Opaque) { Data = data };

    /// <summary>Where the inode is, as a held directory and a name in it; the root (which has
    /// no container) is its own top layer directory and the empty name.</summary>
    public LayerEntry Location => Container is null ? new(Dirs![0].Dir, "") : new(Container, Name);
    public bool IsRoot => Parent is null;

    /// <summary>In more than one layer: the kernel lists it merged and reports st_nlink 1.</summary>
    public bool IsMerged => Dirs is { Length: > 1 };

    public string ChildPath(string name) => UnionPath.Join(Path, name);

    public UnionEntry ToEntry() => new(
        Path, Name,
        // ovl_getattr: a merged directory reports nlink 1 (its real count is meaningless).
        IsMerged ? Stat with { NLink = 1 } : Stat,
        Layer.Ref, RealPath, IsMerged, Opaque);
}

/// <summary>An inode named through a held directory: <see cref="Name"/> in <see cref="Dir"/>,
/// or <see cref="Dir"/> itself when the name is empty.</summary>
internal readonly record struct LayerEntry(DirHandle Dir, string Name);
