namespace OverlayPS.Core.Union;

/// <summary>One directory of a stack as the engine walks it: upper first, then the lowers.</summary>
internal sealed class UnionLayer
{
    public UnionLayer(int lowerIndex, bool isUpper, string root)
    {
        IsUpper = isUpper;
        Root = root;
        Ref = new LayerRef(isUpper ? -1 : lowerIndex, isUpper, root);
    }

    public bool IsUpper { get; }
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

/// <summary>A directory found in one layer while looking a name up: part of a merged dir.</summary>
/// <param name="XWhiteouts">The directory is marked <c>overlay.opaque=x</c>: it may hold xattr whiteouts.</param>
internal readonly record struct DirHit(UnionLayer Layer, string RealPath, bool XWhiteouts);
