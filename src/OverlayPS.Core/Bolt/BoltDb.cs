using System.Buffers.Binary;

namespace OverlayPS.Core.Bolt;

/// <summary>
/// A read-only bbolt database (etcd-io/bbolt, what containerd keeps its metadata in), read
/// whole from a snapshot of the file's bytes. Nothing is locked: bbolt's flock is advisory and
/// only writers need it, so a running containerd is never blocked, and the caller takes the
/// bytes with a bounded read of a regular file (see DirHandle.ReadRegularFileBeneath).
///
/// The bytes are untrusted: every offset, count and page id is checked against the file and the
/// meta's high-water mark before use, each page may be reached once only (a page referenced
/// twice is a cycle or a crafted file), the branch and bucket nesting depths are bounded, and
/// keys and values are slices of the given bytes (nothing is allocated from a length in the
/// file). Whatever the bytes, <see cref="Parse"/> returns the tree or throws
/// <see cref="BoltFormatException"/>.
/// </summary>
public sealed class BoltDb
{
    /// <summary>Deeper than any real tree: a 4 KiB-page branch holds ~200 children, so depth 32
    /// is far beyond any file that fits the read cap.</summary>
    public const int MaxTreeDepth = 32;
    /// <summary>containerd nests 6 deep (v1/ns/content/blob/digest/labels).</summary>
    public const int MaxBucketDepth = 64;

    public string Source { get; }
    public uint PageSize { get; }
    public ulong TxId { get; }
    public BoltBucket Root { get; }

    readonly byte[] _file;
    readonly ulong _highWater;
    readonly HashSet<ulong> _visited = new();

    BoltDb(byte[] file, string source, BoltMeta meta)
    {
        _file = file;
        Source = source;
        PageSize = meta.PageSize;
        TxId = meta.TxId;
        _highWater = meta.HighWater;
        Root = new BoltBucket(meta.RootSequence);
        ReadTree(Root, meta.RootPage, treeDepth: 0, bucketDepth: 0);
    }

    /// <summary>Reads the whole tree from the file's bytes; <paramref name="source"/> names the
    /// file in messages.</summary>
    public static BoltDb Parse(byte[] file, string source) => new(file, source, PickMeta(file, source));

    /// <summary>
    /// The valid meta with the highest txid (bbolt db.go: meta()). Meta page 0 gives the page
    /// size; when it is the torn one, page 1 is looked for at the size page 0 still claims,
    /// then at the common sizes, and accepted only where its own page size says it should be.
    /// </summary>
    static BoltMeta PickMeta(byte[] file, string source)
    {
        if (file.Length < 2 * 512)
            throw new BoltFormatException(source, $"the file is {file.Length} bytes, too short for two meta pages");
        var m0 = BoltMeta.TryRead(file, 0, out var why0);
        var sizes = new List<long>();
        if (m0 is { } v0) sizes.Add(v0.PageSize);
        if (BoltMeta.ClaimedPageSize(file) is { } claimed and >= 512 and <= 1 << 20) sizes.Add(claimed);
        sizes.AddRange(new long[] { 4096, 16384, 65536, 8192, 32768, 1024, 2048, 512 });
        BoltMeta? m1 = null;
        string why1 = "not found at any page size";
        foreach (var size in sizes.Distinct())
        {
            var m = BoltMeta.TryRead(file, size, out var why);
            if (m is { } v && v.PageSize == size) { m1 = v; break; }
            if (size == sizes[0]) why1 = why;
        }
        BoltMeta chosen = (m0, m1) switch
        {
            ({ } a, { } b) => a.TxId >= b.TxId ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => throw new BoltFormatException(source, $"neither meta page is valid (page 0: {why0}; page 1: {why1})"),
        };
        if (m0 is { } p0 && m1 is { } p1 && p0.PageSize != p1.PageSize)
            throw new BoltFormatException(source, $"the meta pages disagree on the page size ({p0.PageSize} and {p1.PageSize})");
        // The high-water mark bounds every page id; pages past the end of the file cannot be read.
        if (chosen.HighWater < 3 || chosen.HighWater > (ulong)file.Length / chosen.PageSize)
            throw new BoltFormatException(source,
                $"the meta (txid {chosen.TxId}) says the file has {chosen.HighWater} pages of {chosen.PageSize} bytes, but it holds {file.Length / chosen.PageSize} (truncated?)");
        return chosen;
    }

    /// <summary>Reads the branch/leaf tree under <paramref name="pageId"/> into <paramref name="bucket"/>.</summary>
    void ReadTree(BoltBucket bucket, ulong pageId, int treeDepth, int bucketDepth)
    {
        if (treeDepth > MaxTreeDepth)
            throw new BoltFormatException(Source, $"the page tree is deeper than {MaxTreeDepth} levels", pageId);
        // Pages 0 and 1 are the metas; page ids at or past the high-water mark are unallocated.
        if (pageId < 2 || pageId >= _highWater)
            throw new BoltFormatException(Source, $"a reference to page {pageId}, outside the file's pages 2..{_highWater - 1}");
        if (!_visited.Add(pageId))
            throw new BoltFormatException(Source, "the page is referenced twice (a cycle, or two owners)", pageId);
        long at = (long)pageId * PageSize;
        var h = BoltPage.ReadHeader(_file, (int)at);
        if (h.Id != pageId)
            throw new BoltFormatException(Source, $"the page header says it is page {h.Id}", pageId, at);
        if ((ulong)h.Overflow >= _highWater - pageId)
            throw new BoltFormatException(Source, $"the page claims {h.Overflow} overflow pages, past the end of the file", pageId, at);
        long end = at + ((long)h.Overflow + 1) * PageSize;
        for (ulong o = 1; o <= h.Overflow; o++)
            if (!_visited.Add(pageId + o))
                throw new BoltFormatException(Source, $"its overflow page {pageId + o} is also used elsewhere", pageId, at);
        switch (h.Flags)
        {
            case BoltPage.BranchFlag:
                CheckCount(h, at, end, pageId);
                for (int i = 0; i < h.Count; i++)
                {
                    int el = (int)at + BoltPage.HeaderSize + i * BoltPage.ElementSize;
                    ulong child = BinaryPrimitives.ReadUInt64LittleEndian(_file.AsSpan(el + 8));
                    // The key only guides a seek; it must still lie in the page.
                    Slice(el, BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(el)),
                        BinaryPrimitives.ReadUInt32LittleEndian(_file.AsSpan(el + 4)), end, pageId);
                    ReadTree(bucket, child, treeDepth + 1, bucketDepth);
                }
                break;
            case BoltPage.LeafFlag:
                ReadLeaf(bucket, at, end, pageId, bucketDepth);
                break;
            default:
                throw new BoltFormatException(Source, $"a {BoltPage.Describe(h.Flags)} page where a branch or leaf page belongs", pageId, at);
        }
    }

    void CheckCount(BoltPage.Header h, long at, long end, ulong? pageId)
    {
        if (at + BoltPage.HeaderSize + (long)h.Count * BoltPage.ElementSize > end)
            throw new BoltFormatException(Source, $"{h.Count} elements do not fit in the page", pageId, at);
    }

    /// <summary>The leaf page at <paramref name="at"/> (a real page, or an inline bucket's page
    /// inside a value, ending at <paramref name="end"/>): each element's key and value.</summary>
    void ReadLeaf(BoltBucket bucket, long at, long end, ulong? pageId, int bucketDepth)
    {
        var h = BoltPage.ReadHeader(_file, (int)at);
        if (h.Flags != BoltPage.LeafFlag)
            throw new BoltFormatException(Source, $"an inline bucket holds a {BoltPage.Describe(h.Flags)} page, not a leaf", pageId, at);
        CheckCount(h, at, end, pageId);
        for (int i = 0; i < h.Count; i++)
        {
            int el = (int)at + BoltPage.HeaderSize + i * BoltPage.ElementSize;
            var s = _file.AsSpan(el);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(s);
            uint pos = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
            uint ksize = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
            uint vsize = BinaryPrimitives.ReadUInt32LittleEndian(s[12..]);
            if ((flags & ~BoltPage.BucketLeafFlag) != 0)
                throw new BoltFormatException(Source, $"leaf element {i} has unknown flags 0x{flags:x}", pageId, el);
            var kv = Slice(el, pos, (ulong)ksize + vsize, end, pageId);
            var key = kv[..(int)ksize];
            var value = kv[(int)ksize..];
            if ((flags & BoltPage.BucketLeafFlag) == 0)
            {
                bucket.Add(new BoltEntry(key, value, null));
                continue;
            }
            bucket.Add(new BoltEntry(key, value, ReadBucket(value, pageId, bucketDepth + 1)));
        }
    }

    /// <summary>A nested bucket from its header value: a tree of its own pages, or (root 0)
    /// an inline leaf page inside the value.</summary>
    BoltBucket ReadBucket(ReadOnlyMemory<byte> value, ulong? pageId, int bucketDepth)
    {
        if (bucketDepth > MaxBucketDepth)
            throw new BoltFormatException(Source, $"buckets are nested deeper than {MaxBucketDepth}", pageId);
        if (value.Length < BoltPage.BucketHeaderSize)
            throw new BoltFormatException(Source, $"a bucket value of {value.Length} bytes, shorter than a bucket header", pageId);
        var s = value.Span;
        ulong root = BinaryPrimitives.ReadUInt64LittleEndian(s);
        var bucket = new BoltBucket(BinaryPrimitives.ReadUInt64LittleEndian(s[8..]));
        if (root != 0)
        {
            ReadTree(bucket, root, treeDepth: 0, bucketDepth);
            return bucket;
        }
        // Where the value sits in the file: it is a slice of _file by construction.
        long start = OffsetOf(value) + BoltPage.BucketHeaderSize;
        long end = OffsetOf(value) + value.Length;
        if (end - start < BoltPage.HeaderSize)
            throw new BoltFormatException(Source, "an inline bucket too short for its page header", pageId, start);
        ReadLeaf(bucket, start, end, pageId, bucketDepth);
        return bucket;
    }

    /// <summary><paramref name="length"/> bytes at element + <paramref name="pos"/>, which must
    /// end by <paramref name="end"/> (the page's or inline page's last byte + 1).</summary>
    ReadOnlyMemory<byte> Slice(int element, uint pos, ulong length, long end, ulong? pageId)
    {
        long start = element + (long)pos;
        if ((ulong)start + length > (ulong)end)
            throw new BoltFormatException(Source, $"an element's key/value ({length} bytes at +{pos}) runs past the end of its page", pageId, element);
        return _file.AsMemory((int)start, (int)length);
    }

    long OffsetOf(ReadOnlyMemory<byte> slice) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(slice, out var seg) && ReferenceEquals(seg.Array, _file)
            ? seg.Offset
            : throw new InvalidOperationException("a bucket value that is not a slice of the file");
}
