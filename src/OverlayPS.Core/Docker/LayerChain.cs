using OverlayPS.Core.Union;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>What one layer dir holds at one path, seen alone.</summary>
public enum LayerEntryState
{
    Missing,
    /// <summary>Kernel whiteout (char 0/0, or a zero-size file with overlay.whiteout), or an OCI
    /// <c>.wh.&lt;name&gt;</c> beside it in a layer written by other tools.</summary>
    Whiteout,
    NonDirectory,
    Directory,
    /// <summary>A dir with overlay.opaque=y (or an OCI <c>.wh..wh..opq</c> inside): hides everything below.</summary>
    OpaqueDirectory,
}

/// <summary>
/// A chain of layer diff dirs, bottom first (index 0 = the base layer, as image positions
/// count), asked two kinds of question for docker diff, path history and wasted space: what
/// one layer holds at a path, seen alone (<see cref="Probe"/>, with the marks of
/// <see cref="LayerMarks"/>), and what the merged view of layers 0..top shows there
/// (<see cref="Lookup"/>, <see cref="ListMerged"/>), which the engine answers: each top gets
/// a read-only <see cref="OverlayFs"/> over the same held layers (topmost first, as every stack
/// is ordered), so these views follow exactly the rules the drive and the kernel follow.
/// Layers are held directory descriptors (the chain does not own them); a path inside one is
/// reached with openat2 beneath it with no symlink on the way, so a link inside a layer (or a
/// layer dir swapped meanwhile) never leads outside it. A null layer is one whose dir is
/// missing: nothing is there.
/// </summary>
public sealed class LayerChain : IDisposable
{
    readonly BaseFirst<DirHandle?> _layers;
    readonly Dictionary<(int, string), (LayerEntryState State, FileStat Stat)> _cache = new();
    readonly bool _ociWhiteouts, _userXattr;
    // The last directory opened in each layer: a scan probes siblings one after another, so one
    // held dir per layer saves most openat2 calls and bounds the descriptors to one per layer.
    readonly (string Path, DirHandle? Dir)?[] _lastDir;
    // The merged view of layers 0..top, made on first use, and each view's lower index -> chain layer.
    readonly OverlayFs?[] _views;
    readonly int[]?[] _viewLayers;

    /// <param name="diffDirs">Layer dirs, held by the caller.</param>
    /// <param name="ociWhiteouts">Also honour <c>.wh.</c> names (layers unpacked by other tools).
    /// Docker's own overlay2 layers hold kernel whiteouts only.</param>
    /// <param name="userXattr">The layers' overlay marks are user.overlay.* (rootless stores), not trusted.*.</param>
    public LayerChain(BaseFirst<DirHandle?> diffDirs, bool ociWhiteouts = true, bool userXattr = false)
    {
        _layers = diffDirs;
        _ociWhiteouts = ociWhiteouts;
        _userXattr = userXattr;
        _lastDir = new (string, DirHandle?)?[diffDirs.Count];
        _views = new OverlayFs?[diffDirs.Count];
        _viewLayers = new int[]?[diffDirs.Count];
    }

    public int Count => _layers.Count;

    /// <summary>The held root of one layer (null when its dir is missing).</summary>
    public DirHandle? Layer(int layer) => _layers[layer];

    /// <summary>
    /// The directory at <paramref name="dirPath"/> ("/" or "/a/b") in one layer, opened beneath
    /// the layer root with no symlink on the way; null when it is not a directory there. Owned
    /// by the chain (valid until the next call for this layer): do not dispose.
    /// </summary>
    public DirHandle? DirAt(int layer, string dirPath)
    {
        if (_lastDir[layer] is { } last && last.Path == dirPath)
            return last.Dir;
        if (_lastDir[layer] is { Dir: { } old } && !ReferenceEquals(old, _layers[layer]))
            old.Dispose();
        DirHandle? dir = null;
        if (_layers[layer] is { } root)
        {
            if (dirPath == "/")
                dir = root;
            else
            {
                try { dir = root.OpenBeneath(dirPath[1..]); }
                // Not there, not a dir, or under a symlink in this layer: nothing at the path.
                catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP) { }
            }
        }
        _lastDir[layer] = (dirPath, dir);
        return dir;
    }

    /// <summary>The state of <paramref name="path"/> ("/a/b") in one layer, alone.</summary>
    public LayerEntryState Probe(int layer, string path) => ProbeStat(layer, path).State;

    public (LayerEntryState State, FileStat Stat) ProbeStat(int layer, string path)
    {
        if (_cache.TryGetValue((layer, path), out var hit))
            return hit;
        var result = ProbeUncached(layer, path);
        _cache[(layer, path)] = result;
        return result;
    }

    (LayerEntryState, FileStat) ProbeUncached(int layer, string path)
    {
        if (path == "/")
        {
            if (_layers[layer] is not { } root)
                return (LayerEntryState.Missing, default);
            var self = root.StatSelf();
            return (IsOpaqueDir(root, "") ? LayerEntryState.OpaqueDirectory : LayerEntryState.Directory, self);
        }
        int slash = path.LastIndexOf('/');
        var parentPath = slash == 0 ? "/" : path[..slash];
        var name = path[(slash + 1)..];
        var parent = DirAt(layer, parentPath);
        if (parent is null || !parent.TryStat(name, out var st))
            return (parent is not null && _ociWhiteouts && parent.TryStat(LayerMarks.OciPrefix + name, out _))
                ? (LayerEntryState.Whiteout, default) : (LayerEntryState.Missing, default);
        if (LayerMarks.IsWhiteoutInAnyNamespace(parent, name, st))
            return (LayerEntryState.Whiteout, st);
        if (st.IsDirectory)
            return (IsOpaqueDir(parent, name) ? LayerEntryState.OpaqueDirectory : LayerEntryState.Directory, st);
        return (LayerEntryState.NonDirectory, st);
    }

    /// <summary>overlay.opaque=y on the dir, or (OCI) a non-directory .wh..wh..opq inside it.</summary>
    bool IsOpaqueDir(DirHandle parent, string name)
    {
        if (LayerMarks.IsOpaqueInAnyNamespace(parent, name))
            return true;
        if (!_ociWhiteouts)
            return false;
        var marker = name.Length == 0 ? LayerMarks.OciOpaque : name + "/" + LayerMarks.OciOpaque;
        try { return parent.TryStatBeneath(marker, out var st) && !st.IsDirectory; }
        catch (PosixException e) when (e.Errno is Errno.ELOOP) { return false; }
    }

    /// <summary>An xattr of the entry at <paramref name="path"/> in one layer, never through a
    /// link; null when absent (or the entry is not there).</summary>
    public byte[]? Xattr(int layer, string path, string attr)
    {
        if (path == "/")
            return _layers[layer]?.GetXattr("", attr);
        int slash = path.LastIndexOf('/');
        var parent = DirAt(layer, slash == 0 ? "/" : path[..slash]);
        if (parent is null)
            return null;
        try { return parent.GetXattr(path[(slash + 1)..], attr); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT) { return null; }
    }

    /// <summary>Closes the directories and views the chain opened (not the layer roots: the caller's).</summary>
    public void Dispose()
    {
        for (int i = 0; i < _views.Length; i++)
        {
            _views[i]?.Dispose();
            _views[i] = null;
        }
        for (int i = 0; i < _lastDir.Length; i++)
        {
            if (_lastDir[i] is { Dir: { } d } && !ReferenceEquals(d, _layers[i]))
                d.Dispose();
            _lastDir[i] = null;
        }
    }

    /// <summary>
    /// The layers that make up <paramref name="path"/> in the merged view of layers
    /// 0..<paramref name="top"/>, topmost first: one layer for a non-directory, every
    /// contributing layer for a merged directory; empty when the path is not visible.
    /// </summary>
    public List<int> Lookup(string path, int top)
    {
        var found = new List<int>();
        if (View(top) is not { } view)
            return found;
        var map = _viewLayers[top]!;
        foreach (var r in view.LayersAt(path))
            found.Add(map[r.Index]);
        return found;
    }

    /// <summary>Names visible in the merged directory at path (layers 0..top).</summary>
    public IEnumerable<string> ListMerged(string path, int top)
    {
        var layers = Lookup(path, top);
        if (layers.Count == 0 || !ProbeStat(layers[0], path).Stat.IsDirectory)
            yield break;
        foreach (var e in View(top)!.ReadDir(path))
            yield return e.Name;
    }

    /// <summary>The engine's read-only view of layers 0..top over the held dirs (missing
    /// layers left out), or null when none of them is there.</summary>
    OverlayFs? View(int top)
    {
        if (_views[top] is { } made)
            return made;
        var held = new List<DirHandle>();       // topmost first, as a stack lists its lowers
        var map = new List<int>();
        for (int j = top; j >= 0; j--)
            if (_layers[j] is { } dir) { held.Add(dir); map.Add(j); }
        if (held.Count == 0)
            return null;
        var options = new OverlayFsOptions
        {
            OciWhiteouts = _ociWhiteouts,
            // One cache per view: share the usual budget so a deep image stays bounded.
            CacheDescriptorBudget = Math.Max(16, 4096 / _views.Length),
        };
        var stack = new LayerStack(held.Select(h => h.Path), userXattr: _userXattr);
        _viewLayers[top] = map.ToArray();
        return _views[top] = new OverlayFs(stack, options, new LayerRoots(new(held), Borrowed: true));
    }

}
