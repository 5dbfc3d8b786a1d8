using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// Resolved directories by union path, each with its layer copies held open: the engine's
/// analogue of the kernel's dentry cache, which is why a lookup through a mounted overlay
/// costs one failed lookup per layer for the last component only, while the parents come
/// from cache. Only directories are kept, and only their layer set (a held descriptor of each
/// layer's copy, opaque marks); a directory's own stat is re-read through its descriptor when
/// it is the final component, so times and sizes are always fresh.
/// Bounded by descriptors, not entries: at most the budget's count of held
/// directories (a merged directory holds one per layer it spans), least recently used first
/// out. A directory let go is closed once no call still uses it (see DirHandle.OpenCount).
/// Validity: the engine empties the cache around every write it makes (see BeginWrite), and a
/// kept directory is checked against the upper layer (one statx on the parent's held upper
/// copy, OverlayFs.UpperUnchanged) each time it is used, so writes through a kernel mount or
/// another drive over the same upper are seen at once. Lower copies cannot be swapped under
/// it: they are held open. OverlayFsOptions.CacheDirectories = false turns the cache off.
/// </summary>
internal sealed class DirectoryCache
{
    readonly int _budget;

    /// <param name="descriptorBudget">Descriptors the cache may hold at once
    /// (OverlayFsOptions.CacheDescriptorBudget).</param>
    public DirectoryCache(int descriptorBudget) => _budget = Math.Max(1, descriptorBudget);
    readonly Dictionary<string, LinkedListNode<UnionNode>> _nodes = new(StringComparer.Ordinal);
    readonly LinkedList<UnionNode> _lru = new();    // most recently used first
    readonly object _lock = new();
    int _held;          // descriptors of the kept nodes
    int _writes;        // writes in progress: nothing resolved meanwhile may be kept
    long _generation;   // bumped by every write: a node resolved before one is not kept

    public long Generation => Interlocked.Read(ref _generation);

    public int HeldDescriptors
    {
        get { lock (_lock) return _held; }
    }

    public bool Contains(string path)
    {
        lock (_lock) return _nodes.ContainsKey(path);
    }

    public bool TryGet(string path, out UnionNode node)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(path, out var entry))
            {
                node = null!;
                return false;
            }
            _lru.Remove(entry);
            _lru.AddFirst(entry);
            node = entry.Value;
            return true;
        }
    }

    /// <summary>Keeps a directory resolved while no write ran (since <paramref name="generation"/>).</summary>
    public void Add(UnionNode node, long generation)
    {
        if (!node.IsDirectory || node.Dirs!.Length > _budget)
            return;
        lock (_lock)
        {
            if (_writes != 0 || generation != _generation)
                return;
            if (_nodes.TryGetValue(node.Path, out var old))
                Forget(old);
            while (_held + node.Dirs.Length > _budget && _lru.Last is { } oldest)
                Forget(oldest);
            _nodes[node.Path] = _lru.AddFirst(node);
            _held += node.Dirs.Length;
        }
    }

    void Forget(LinkedListNode<UnionNode> entry)
    {
        _lru.Remove(entry);
        _nodes.Remove(entry.Value.Path);
        _held -= entry.Value.Dirs!.Length;
    }

    /// <summary>Forgets everything, and nothing resolved before now may be kept.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _generation++;
            _nodes.Clear();
            _lru.Clear();
            _held = 0;
        }
    }

    public WriteScope BeginWrite()
    {
        lock (_lock)
            _writes++;
        Clear();
        return new WriteScope(this);
    }

    void EndWrite()
    {
        lock (_lock)
            _writes--;
        Clear();
    }

    /// <summary>Held for the whole of one write call: empties the cache at both ends.</summary>
    public readonly struct WriteScope : IDisposable
    {
        readonly DirectoryCache? _cache;
        public WriteScope(DirectoryCache? cache) => _cache = cache;
        public void Dispose() => _cache?.EndWrite();
    }
}
