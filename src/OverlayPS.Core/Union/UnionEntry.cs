using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>Which layer of a stack supplies an entry.</summary>
public readonly record struct LayerRef(int Index, bool IsUpper, string Root)
{
    /// <summary>"upper", or "lower1" for the topmost lower (the order of lowerdir=), "lower2", ...</summary>
    public string Name => IsUpper ? "upper" : $"lower{Index + 1}";
    public override string ToString() => Name;
}

/// <summary>
/// One name in the merged view: what lstat through a kernel mount would show, plus where it
/// comes from. Stat is the topmost layer's inode (a merged directory's own metadata comes from
/// its topmost layer, as in the kernel).
/// </summary>
public sealed record UnionEntry(
    string Path,            // union path, "/"-rooted, no trailing slash ("/" for the root)
    string Name,
    FileStat Stat,
    LayerRef Layer,         // the topmost layer holding it
    string RealPath,        // its path in that layer's directory
    bool IsMerged,          // a directory that has content in more than one layer
    bool IsOpaque)          // a directory that hides everything below it
{
    public FileKind Kind => Stat.Kind;
    public bool IsDirectory => Stat.IsDirectory;
}
