using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// The userspace overlay: serves a <see cref="LayerStack"/> the way the kernel's overlayfs
/// would with its defaults (redirect_dir=off, index=off, metacopy=off, xino=off), and leaves in
/// the upper and work dirs exactly what the kernel would. Layer content is reached only through
/// directory descriptors held from open (see DirHandle): the roots for the stack's life, the
/// directories below them for a call or while the directory cache keeps them.
/// </summary>
public sealed partial class OverlayFs : IUnionFileSystem, IDisposable
{
    readonly UnionLayer[] _layers;          // lookup order: upper (if any), then lowers topmost first
    readonly DirHit[] _rootHits;
    readonly UnionLayer? _upper;
    readonly WorkDir? _work;
    readonly OverlayFsOptions _options;
    readonly bool _userXattr;
    readonly string _opaqueXattr, _whiteoutXattr, _redirectXattr, _metacopyXattr, _impureXattr, _originXattr, _privatePrefix, _escapedPrefix;
    readonly DirectoryCache? _dirCache;
    readonly bool _rootsBorrowed;           // the caller holds the layer roots (LayerRoots.Borrowed)

    /// <summary>Opens a stack (validated first). With an upper dir, leftovers of interrupted
    /// copy-ups in the work dir are cleaned now.</summary>
    public OverlayFs(LayerStack stack, OverlayFsOptions? options = null) : this(stack, options, null) { }

    /// <summary>Opens a stack whose layer directories the caller already holds (a store
    /// reader opens them beneath the store's root, never through a link); the stack's paths
    /// are then only names for messages and items. The engine owns the handles from here.</summary>
    public OverlayFs(LayerStack stack, OverlayFsOptions? options, LayerRoots? opened)
    {
        if (opened is null)
            LayerStackValidator.Validate(stack);
        else if (opened.Lowers.Count != stack.Lowers.Count || (opened.Upper is null) != (stack.Upper is null)
                 || (opened.Work is null) != (stack.Work is null))
            throw new ArgumentException("The opened layer directories do not match the stack.", nameof(opened));
        Stack = stack;
        _rootsBorrowed = opened?.Borrowed ?? false;
        _options = options ?? OverlayFsOptions.Default;
        _dirCache = _options.CacheDirectories ? new DirectoryCache(_options.CacheDescriptorBudget) : null;
        _opaqueXattr = stack.OpaqueXattr;
        _whiteoutXattr = stack.WhiteoutXattr;
        _redirectXattr = stack.XattrPrefix + "overlay.redirect";
        _metacopyXattr = stack.XattrPrefix + "overlay.metacopy";
        _impureXattr = stack.XattrPrefix + "overlay.impure";
        _originXattr = stack.XattrPrefix + "overlay.origin";
        _userXattr = stack.XattrPrefix == "user.";
        _privatePrefix = stack.XattrPrefix + "overlay.";
        _escapedPrefix = _privatePrefix + "overlay.";

        // Each layer root is resolved once, now (a symlinked layer dir is followed here, as
        // mount(2) does), and held until Dispose; nothing later walks a layer path again.
        var layers = new List<UnionLayer>(stack.Lowers.Count + 1);
        try
        {
            if (stack.Upper is not null)
                layers.Add(_upper = new UnionLayer(-1, true, opened?.Upper ?? DirHandle.OpenRoot(stack.Upper)));
            for (int i = 0; i < stack.Lowers.Count; i++)
                layers.Add(new UnionLayer(i, false, opened?.Lowers[i] ?? DirHandle.OpenRoot(stack.Lowers[i])));
            if (stack.Work is not null)
                _work = new WorkDir(opened?.Work ?? DirHandle.OpenRoot(stack.Work));
        }
        catch
        {
            foreach (var l in layers)
                l.RootDir.Dispose();
            throw;
        }
        _layers = layers.ToArray();

        // The root merges every layer's root (ovl_get_lowerstack); a root marked
        // overlay.opaque=x announces xattr whiteouts in its layer.
        _rootHits = new DirHit[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            var x = IsXWhiteoutDir(_layers[i].RootDir);
            if (x)
                _layers[i].HasXWhiteouts = true;
            _rootHits[i] = new DirHit(_layers[i], _layers[i].RootDir, x);
        }
        _work?.CleanLeftovers();
    }

    public LayerStack Stack { get; }
    public OverlayFsOptions Options => _options;

    /// <summary>A fresh root node: the topmost layer root's metadata, all layers merged.</summary>
    UnionNode Root() =>
        new(null, "/", "", _rootHits[0].Dir.StatSelf(), _rootHits[0].Layer, container: null,
            _rootHits, opaque: false);

    bool IsXWhiteoutDir(DirHandle dir)
    {
        var v = LayerMarks.Mark(dir, "", _opaqueXattr);
        return v is { Length: 1 } && v[0] == (byte)'x';
    }

    /// <summary>Descriptors the directory cache holds now (tests and benchmarks).</summary>
    internal int CachedDescriptors => _dirCache?.HeldDescriptors ?? 0;
    internal bool IsCached(string unionPath) => _dirCache?.Contains(unionPath) ?? false;

    /// <summary>Lets go of the layer roots (unless borrowed) and every directory the cache holds.</summary>
    public void Dispose()
    {
        _dirCache?.Clear();
        if (!_rootsBorrowed)
            foreach (var l in _layers)
                l.RootDir.Dispose();
        _work?.Dispose();
    }

    /// <summary>Every public write holds this for its whole call: resolved directories are
    /// forgotten before and after it, and none resolved during it is kept.</summary>
    DirectoryCache.WriteScope BeginWrite() => _dirCache?.BeginWrite() ?? default;

    static PosixException Error(Errno errno, string path, string operation) => new(errno, path, operation);
}
