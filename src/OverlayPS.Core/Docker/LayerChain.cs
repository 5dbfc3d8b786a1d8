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
/// </summary>
public sealed class LayerChain
{
    public IReadOnlyList<string> Dirs { get; }
    readonly Dictionary<(int, string), (LayerEntryState State, FileStat Stat)> _cache = new();
    readonly bool _ociWhiteouts;

    /// <param name="diffDirsBottomFirst">Layer dirs, base first.</param>
    /// <param name="ociWhiteouts">Also honour <c>.wh.</c> names (layers unpacked by other tools).
    /// Docker's own overlay2 layers hold kernel whiteouts only.</param>
    public LayerChain(IReadOnlyList<string> diffDirsBottomFirst, bool ociWhiteouts = true)
    {
        Dirs = diffDirsBottomFirst;
        _ociWhiteouts = ociWhiteouts;
    }

    public int Count => Dirs.Count;

    public string RealPath(int layer, string path) => path == "/" ? Dirs[layer] : Dirs[layer] + path;

    /// <summary>The state of <paramref name="path"/> ("/a/b") in one layer, alone.</summary>
    public LayerEntryState Probe(int layer, string path) => ProbeStat(layer, path).State;

    public (LayerEntryState State, FileStat Stat) ProbeStat(int layer, string path)
    {
        if (_cache.TryGetValue((layer, path), out var hit))
            return hit;
        var real = RealPath(layer, path);
        (LayerEntryState, FileStat) result;
        if (!Files.TryLStat(real, out var st))
        {
            result = (_ociWhiteouts && path != "/" && OciWhiteoutExists(layer, path))
                ? (LayerEntryState.Whiteout, default) : (LayerEntryState.Missing, default);
        }
        else if (LayerMarkers.IsWhiteout(real, st))
            result = (LayerEntryState.Whiteout, st);
        else if (st.IsDirectory)
            result = (LayerMarkers.IsOpaque(real) || (_ociWhiteouts && File.Exists(Path.Combine(real, LayerMarkers.OciOpaque)))
                ? LayerEntryState.OpaqueDirectory : LayerEntryState.Directory, st);
        else
            result = (LayerEntryState.NonDirectory, st);
        _cache[(layer, path)] = result;
        return result;
    }

    bool OciWhiteoutExists(int layer, string path)
    {
        int slash = path.LastIndexOf('/');
        var parent = path[..slash];
        return Files.TryLStat(Dirs[layer] + parent + "/" + LayerMarkers.OciPrefix + path[(slash + 1)..], out _);
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
            foreach (var name in StoreFiles.Names(RealPath(j, path)))
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
