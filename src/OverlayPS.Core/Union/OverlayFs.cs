using Mono.Unix.Native;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// The userspace overlay: serves a <see cref="LayerStack"/> the way the kernel's overlayfs
/// would with its defaults (redirect_dir=off, index=off, metacopy=off, xino=off), and leaves in
/// the upper and work dirs exactly what the kernel would. Stateless between calls: every call
/// resolves its path afresh, so layers changed by someone else are seen at once (the kernel
/// forbids that while mounted; here it is merely not recommended).
/// </summary>
public sealed partial class OverlayFs : IUnionFileSystem
{
    readonly UnionLayer[] _layers;          // lookup order: upper (if any), then lowers topmost first
    readonly DirHit[] _rootHits;
    readonly UnionLayer? _upper;
    readonly WorkDir? _work;
    readonly OverlayFsOptions _options;
    readonly bool _userXattr;
    readonly string _opaqueXattr, _whiteoutXattr, _privatePrefix, _escapedPrefix;
    readonly DirectoryCache? _dirCache;

    /// <summary>Opens a stack (validated first). With an upper dir, leftovers of interrupted
    /// copy-ups in the work dir are cleaned now.</summary>
    public OverlayFs(LayerStack stack, OverlayFsOptions? options = null)
    {
        LayerStackValidator.Validate(stack);
        Stack = stack;
        _options = options ?? OverlayFsOptions.Default;
        _dirCache = _options.CacheDirectories ? new DirectoryCache() : null;
        _opaqueXattr = stack.OpaqueXattr;
        _whiteoutXattr = stack.WhiteoutXattr;
        _userXattr = stack.XattrPrefix == "user.";
        _privatePrefix = stack.XattrPrefix + "overlay.";
        _escapedPrefix = _privatePrefix + "overlay.";

        var layers = new List<UnionLayer>(stack.Lowers.Count + 1);
        if (stack.Upper is not null)
            layers.Add(_upper = new UnionLayer(-1, true, stack.Upper));
        for (int i = 0; i < stack.Lowers.Count; i++)
            layers.Add(new UnionLayer(i, false, stack.Lowers[i]));
        _layers = layers.ToArray();

        // The root merges every layer's root (ovl_get_lowerstack); a root marked
        // overlay.opaque=x announces xattr whiteouts in its layer.
        _rootHits = new DirHit[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            var x = IsXWhiteoutDir(_layers[i].Root);
            if (x)
                _layers[i].HasXWhiteouts = true;
            _rootHits[i] = new DirHit(_layers[i], _layers[i].Root, x);
        }
        if (stack.Work is not null)
        {
            _work = new WorkDir(stack.Work);
            _work.CleanLeftovers();
        }
    }

    public LayerStack Stack { get; }
    public OverlayFsOptions Options => _options;

    /// <summary>A fresh root node: the topmost layer root's metadata, all layers merged.</summary>
    UnionNode Root() =>
        new(null, "/", "", Files.LStat(_rootHits[0].RealPath), _rootHits[0].Layer, _rootHits[0].RealPath,
            _rootHits, opaque: false);

    bool IsXWhiteoutDir(string realDir)
    {
        var v = Whiteouts.Mark(realDir, _opaqueXattr);
        return v is { Length: 1 } && v[0] == (byte)'x';
    }

    /// <summary>Every public write holds this for its whole call: resolved directories are
    /// forgotten before and after it, and none resolved during it is kept.</summary>
    DirectoryCache.WriteScope BeginWrite() => _dirCache?.BeginWrite() ?? default;

    static PosixException Error(Errno errno, string path, string operation) => new(errno, path, operation);
}
