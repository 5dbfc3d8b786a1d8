using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>One directory of a stack as the engine walks it: upper first, then the lowers.
/// Its root is held open from the stack's open to its dispose, as the kernel pins layer
/// roots at mount: a rename or symlink put in place of the path later changes nothing.</summary>
internal sealed class UnionLayer
{
    public UnionLayer(int lowerIndex, bool isUpper, DirHandle root)
    {
        IsUpper = isUpper;
        RootDir = root;
        Root = root.Path;
        Ref = new LayerRef(isUpper ? -1 : lowerIndex, isUpper, Root);
    }

    public bool IsUpper { get; }
    public DirHandle RootDir { get; }
    /// <summary>The root's real path when it was opened (display only).</summary>
    public string Root { get; }
    public LayerRef Ref { get; }

    /// <summary>
    /// Set once a directory marked <c>overlay.opaque=x</c> was met in this layer. From then on
    /// lookups in the layer treat an empty regular file carrying <c>overlay.whiteout</c> as a
    /// whiteout, as the kernel does (ovl_layer_set_xwhiteouts, fs/overlayfs/namei.c); merged
    /// readdir only checks inside the marked directories themselves (fs/overlayfs/readdir.c).
    /// </summary>
    public bool HasXWhiteouts
    {
        get => Volatile.Read(ref _hasXWhiteouts);
        set => Volatile.Write(ref _hasXWhiteouts, value);
    }
    bool _hasXWhiteouts;

    public override string ToString() => $"{Ref.Name} {Root}";
}

/// <summary>A directory found in one layer while looking a name up: part of a merged dir,
/// held open (<paramref name="Dir"/>), so everything below it is reached through it.</summary>
/// <param name="XWhiteouts">The directory is marked <c>overlay.opaque=x</c>: it may hold xattr whiteouts.</param>
internal readonly record struct DirHit(UnionLayer Layer, DirHandle Dir, bool XWhiteouts)
{
    /// <summary>Where it was when opened (display only).</summary>
    public string RealPath => Dir.Path;
}
