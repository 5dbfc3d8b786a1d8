using System.Text;

namespace OverlayPS.Core.Bolt;

/// <summary>One key of a bucket: a value, or (with <see cref="Bucket"/> set) a nested bucket.</summary>
public readonly record struct BoltEntry(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, BoltBucket? Bucket)
{
    /// <summary>The key as text (containerd's keys are UTF-8 strings).</summary>
    public string Name => Encoding.UTF8.GetString(Key.Span);
    public bool IsBucket => Bucket is not null;
}

/// <summary>
/// A bucket as read from a snapshot of the file: its keys in the order bbolt stores them (byte
/// order), each a value or a nested bucket. Plain data: nothing here touches the file again.
/// </summary>
public sealed class BoltBucket
{
    readonly List<BoltEntry> _entries = new();
    // Keys as Latin-1 strings: one char per byte, so any key (UTF-8 or not) has one name.
    readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>The bucket's sequence counter (NextSequence).</summary>
    public ulong Sequence { get; }
    public IReadOnlyList<BoltEntry> Entries => _entries;

    internal BoltBucket(ulong sequence) => Sequence = sequence;

    internal void Add(BoltEntry e)
    {
        // A damaged file may repeat a key: the first one stands, as a cursor seek would find it.
        if (_index.TryAdd(Encoding.Latin1.GetString(e.Key.Span), _entries.Count))
            _entries.Add(e);
    }

    public BoltEntry? Find(string key) =>
        _index.TryGetValue(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(key)), out var i) ? _entries[i] : null;

    /// <summary>The nested bucket named <paramref name="key"/>, or null.</summary>
    public BoltBucket? Bucket(string key) => Find(key)?.Bucket;

    /// <summary>Walks nested buckets: <c>Path("v1", "default", "images")</c>.</summary>
    public BoltBucket? Path(params string[] keys)
    {
        BoltBucket? b = this;
        foreach (var k in keys)
            b = b?.Bucket(k);
        return b;
    }

    /// <summary>The value of <paramref name="key"/> (null when missing or a bucket).</summary>
    public ReadOnlyMemory<byte>? Value(string key) => Find(key) is { Bucket: null } e ? (ReadOnlyMemory<byte>?)e.Value : null;

    /// <summary>The value as UTF-8 text, or null.</summary>
    public string? String(string key) => Value(key) is { } v ? Encoding.UTF8.GetString(v.Span) : null;

    /// <summary>The nested buckets, in key order.</summary>
    public IEnumerable<(string Name, BoltBucket Bucket)> Buckets =>
        _entries.Where(e => e.Bucket is not null).Select(e => (e.Name, e.Bucket!));

    /// <summary>The plain values, in key order.</summary>
    public IEnumerable<(string Name, ReadOnlyMemory<byte> Value)> Values =>
        _entries.Where(e => e.Bucket is null).Select(e => (e.Name, e.Value));
}
