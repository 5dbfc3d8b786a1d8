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
/// Read-only overlay lookups over a chain of layer diff dirs, bottom first (index 0 = the base
/// layer, as image positions count), with the kernel's rules (overlayfs.rst "whiteouts and
/// opaque directories"): lookup goes top-down; a whiteout or non-directory hides everything
/// below; directories merge until an opaque one. Each (layer, path) is lstat'ed at most once.
/// Used for docker diff, path provenance and wasted space; no mount, no copy.
/// Layers are held directory descriptors (the chain does not own them); a path inside one is
/// reached with openat2 beneath it with no symlink on the way, so a link inside a layer (or a
/// layer dir swapped meanwhile) never leads outside it: a path under a symlink is simply not
/// there, as for the kernel, which never follows a link inside a layer either. A null layer
/// is one whose dir is missing: nothing is there.
/// </summary>
public sealed class LayerChain : IDisposable
{
    readonly IReadOnlyList<DirHandle?> _layers;
    readonly Dictionary<(int, string), (LayerEntryState State, FileStat Stat)> _cache = new();
    readonly bool _ociWhiteouts;
    // The last directory opened in each layer: a scan probes siblings one after another, so one
    // held dir per layer saves most openat2 calls and bounds the descriptors to one per layer.
    readonly (string Path, DirHandle? Dir)?[] _lastDir;

    /// <param name="diffDirsBottomFirst">Layer dirs, base first, held by the caller.</param>
    /// <param name="ociWhiteouts">Also honour <c>.wh.</c> names (layers unpacked by other tools).
    /// Docker's own overlay2 layers hold kernel whiteouts only.</param>
    public LayerChain(IReadOnlyList<DirHandle?> diffDirsBottomFirst, bool ociWhiteouts = true)
    {
        _layers = diffDirsBottomFirst;
        _ociWhiteouts = ociWhiteouts;
        _lastDir = new (string, DirHandle?)?[diffDirsBottomFirst.Count];
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
            return (parent is not null && _ociWhiteouts && parent.TryStat(LayerMarkers.OciPrefix + name, out _))
                ? (LayerEntryState.Whiteout, default) : (LayerEntryState.Missing, default);
        if (LayerMarkers.IsWhiteout(parent, name, st))
            return (LayerEntryState.Whiteout, st);
        if (st.IsDirectory)
            return (IsOpaqueDir(parent, name) ? LayerEntryState.OpaqueDirectory : LayerEntryState.Directory, st);
        return (LayerEntryState.NonDirectory, st);
    }

    /// <summary>overlay.opaque=y on the dir, or (OCI) a non-directory .wh..wh..opq inside it.</summary>
    bool IsOpaqueDir(DirHandle parent, string name)
    {
        if (LayerMarkers.IsOpaque(parent, name))
            return true;
        if (!_ociWhiteouts)
            return false;
        var marker = name.Length == 0 ? LayerMarkers.OciOpaque : name + "/" + LayerMarkers.OciOpaque;
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

    /// <summary>Closes the directories the chain opened (not the layer roots: the caller's).</summary>
    public void Dispose()
    {
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
        var ancestors = Ancestors(path);
        for (int j = top; j >= 0; j--)
        {
            bool stopAfter = false, skip = false;
            foreach (var a in ancestors)
            {
                var s = Probe(j, a);
                if (s == LayerEntryState.Missing) { skip = true; break; }
                if (s is LayerEntryState.Whiteout or LayerEntryState.NonDirectory)
                    return found;              // hides the path in this layer and all below
                if (s == LayerEntryState.OpaqueDirectory) stopAfter = true;
            }
            if (!skip)
            {
                var here = Probe(j, path);
                switch (here)
                {
                    case LayerEntryState.Whiteout:
                        return found;
                    case LayerEntryState.NonDirectory:
                        if (found.Count == 0) found.Add(j);
                        return found;          // below a merged dir, a non-dir is hidden
                    case LayerEntryState.Directory:
                        found.Add(j);
                        break;
                    case LayerEntryState.OpaqueDirectory:
                        found.Add(j);
                        return found;
                }
            }
            if (stopAfter)
                return found;
        }
        return found;
    }

    /// <summary>Names visible in the merged directory at path (layers 0..top).</summary>
    public IEnumerable<string> ListMerged(string path, int top)
    {
        var layers = Lookup(path, top);
        if (layers.Count == 0 || !ProbeStat(layers[0], path).Stat.IsDirectory)
            yield break;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var j in layers)
        {
            foreach (var name in Names(j, path))
            {
                if (_ociWhiteouts && name.StartsWith(LayerMarkers.OciPrefix, StringComparison.Ordinal))
                    continue;
                if (!seen.Add(name))
                    continue;
                if (Lookup(Join(path, name), top).Count > 0)
                    yield return name;
            }
        }
    }

    /// <summary>The entries of a directory in one layer (none when it is not one there).</summary>
    List<string> Names(int layer, string dirPath)
    {
        var names = new List<string>();
        if (DirAt(layer, dirPath) is not { } dir)
            return names;
        using var reader = dir.Read();
        while (reader.Next(out var name, out _))
            names.Add(name);
        return names;
    }

    public static string Join(string dir, string name) => dir == "/" ? "/" + name : dir + "/" + name;

    /// <summary>"/a/b/c" -> "/a", "/a/b" (not the root, not the path itself).</summary>
    static List<string> Ancestors(string path)
    {
        var list = new List<string>();
        for (int i = path.IndexOf('/', 1); i > 0; i = path.IndexOf('/', i + 1))
            list.Add(path[..i]);
        return list;
    }
}
