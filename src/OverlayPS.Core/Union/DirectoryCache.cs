namespace OverlayPS.Core.Union;

/// <summary>
/// Resolved directories by union path: the engine's analogue of the kernel's dentry cache,
/// which is why a lookup through a mounted overlay costs one failed lookup per layer for the
/// last component only, while the parents come from cache. Without it every call re-resolved
/// each parent in every layer (an lstat and a getxattr per layer per component: 30x the
/// kernel's per-layer cost at 500 lowers). Only directories are kept, and only their layer
/// set (where each layer's copy is, opaque marks); a directory's own stat is re-read when it
/// is the final component, so times and sizes are always fresh.
/// Validity: the engine empties the cache around every write it makes (see BeginWrite), and a
/// kept directory is checked against the upper layer (one lstat, OverlayFs.UpperUnchanged)
/// each time it is used, so writes through a kernel mount or another drive over the same
/// upper are seen at once. Lower layers changed behind the engine's back are not checked: that
/// is undefined for a mounted overlay too (overlayfs.rst, "Changes to underlying
/// filesystems"). OverlayFsOptions.CacheDirectories = false turns the cache off.
/// </summary>
internal sealed class DirectoryCache
{
    // Bounded: a walk of a huge tree must not keep every directory; clearing when full keeps
    // the recent working set cheap to rebuild.
    const int Capacity = 16_384;
    /// <summary>How long a kept directory's lower copies are trusted to still be directories
    /// before they are lstat'ed again (see OverlayFs.LowerCopiesStillDirectories).</summary>
    public const long LowerRecheckMilliseconds = 1000;
    readonly Dictionary<string, Kept> _nodes = new(StringComparer.Ordinal);
    readonly object _lock = new();
    int _writes;        // writes in progress: nothing resolved meanwhile may be kept
    long _generation;   // bumped by every write: a node resolved before one is not kept

    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string path, out Kept kept)
    {
        lock (_lock)
            return _nodes.TryGetValue(path, out kept!);
    }

    /// <summary>Keeps a directory resolved while no write ran (since <paramref name="generation"/>).</summary>
    public void Add(UnionNode node, long generation)
    {
        if (!node.IsDirectory)
            return;
        lock (_lock)
        {
            if (_writes != 0 || generation != _generation)
                return;
            if (_nodes.Count >= Capacity)
                _nodes.Clear();
            _nodes[node.Path] = new Kept(node);
        }
    }

    /// <summary>Forgets everything, and nothing resolved before now may be kept.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _generation++;
            _nodes.Clear();
        }
    }

    public WriteScope BeginWrite()
    {
        lock (_lock)
        {
            _writes++;
            _generation++;
            _nodes.Clear();
        }
        return new WriteScope(this);
    }

    void EndWrite()
    {
        lock (_lock)
        {
            _writes--;
            _generation++;
            _nodes.Clear();
        }
    }

    /// <summary>A kept directory, and when its lower copies were last seen to be directories
    /// (it was resolved from disk then, so that is when it was kept).</summary>
    public sealed class Kept
    {
        long _lowersCheckedAt = Environment.TickCount64;
        public Kept(UnionNode node) => Node = node;
        public UnionNode Node { get; }
        public bool LowersCheckedRecently =>
            Environment.TickCount64 - Volatile.Read(ref _lowersCheckedAt) < LowerRecheckMilliseconds;
        public void LowersChecked() => Volatile.Write(ref _lowersCheckedAt, Environment.TickCount64);
    }

    /// <summary>Held for the whole of one write call: empties the cache at both ends.</summary>
    public readonly struct WriteScope : IDisposable
    {
        readonly DirectoryCache? _cache;
        public WriteScope(DirectoryCache? cache) => _cache = cache;
        public void Dispose() => _cache?.EndWrite();
    }
}
