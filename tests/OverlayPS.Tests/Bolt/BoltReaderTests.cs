using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using OverlayPS.Core.Bolt;

namespace OverlayPS.Tests.Bolt;

/// <summary>The reader against the fixture's two real bbolt files and their independent dumps
/// (ground-truth/*.db.json, decoded by a Python reader when the fixture was made).</summary>
public class BoltReaderTests
{
    [Theory]
    [InlineData(BoltFiles.MetaDb)]
    [InlineData(BoltFiles.SnapshotterDb)]
    public void Every_key_value_and_bucket_matches_the_dump(string file)
    {
        var db = BoltDb.Parse(BoltFiles.Bytes(file), file);
        var dump = BoltFiles.Dump(file);
        Assert.Equal(dump.GetProperty("meta_used").GetProperty("txid").GetUInt64(), db.TxId);
        Assert.Equal(dump.GetProperty("meta_used").GetProperty("pageSize").GetUInt32(), db.PageSize);
        int compared = Compare(db.Root, dump.GetProperty("tree"), "/");
        Assert.True(compared > 50, $"only {compared} entries compared");
    }

    static int Compare(BoltBucket bucket, JsonElement expected, string where)
    {
        var names = expected.EnumerateObject().Where(p => p.Name != "_bucket").ToList();
        Assert.Equal(names.Select(p => p.Name.TrimEnd('/')).Order(StringComparer.Ordinal),
            bucket.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        int n = 0;
        foreach (var p in names)
        {
            var key = p.Name.EndsWith('/') ? p.Name[..^1] : p.Name;
            var entry = bucket.Find(key) ?? throw new Xunit.Sdk.XunitException($"{where}{key} missing");
            n++;
            if (p.Name.EndsWith('/'))
            {
                Assert.True(entry.IsBucket, $"{where}{key} should be a bucket");
                Assert.Equal(p.Value.GetProperty("_bucket").GetProperty("sequence").GetUInt64(), entry.Bucket!.Sequence);
                n += Compare(entry.Bucket, p.Value, where + key + "/");
                continue;
            }
            Assert.False(entry.IsBucket, $"{where}{key} should be a value");
            Assert.Equal(p.Value.GetProperty("len").GetInt32(), entry.Value.Length);
            if (p.Value.TryGetProperty("str", out var s)) Assert.Equal(s.GetString(), Encoding.UTF8.GetString(entry.Value.Span));
            if (p.Value.TryGetProperty("hex", out var h)) Assert.Equal(h.GetString(), Convert.ToHexString(entry.Value.Span).ToLowerInvariant());
            if (p.Value.TryGetProperty("b64", out var b)) Assert.Equal(b.GetString(), Convert.ToBase64String(entry.Value.Span));
        }
        return n;
    }

    [Fact]
    public void Nested_and_inline_buckets_are_reached_by_path()
    {
        var db = BoltDb.Parse(BoltFiles.Bytes(BoltFiles.MetaDb), "meta.db");
        // target/ is an inline bucket inside a paged one.
        Assert.Equal("sha256:9e6250736fd0cdcec6a621cacf8c030b00a0dc6ac0d94180a83f6d90a424f797",
            db.Root.Path("v1", "default", "images", "docker.io/fixture/app:1.0", "target")!.String("digest"));
        Assert.Equal(17UL, db.Root.Path("v1", "default", "snapshots", "overlayfs")!.Sequence);
        Assert.Null(db.Root.Path("v1", "nosuch", "images"));
        Assert.Null(db.Root.Path("v1", "default")!.String("images"));   // a bucket, not a value
    }

    [Fact]
    public void A_torn_newest_meta_falls_back_to_the_older_one()
    {
        var bytes = BoltFiles.Bytes(BoltFiles.MetaDb);
        var good = BoltDb.Parse(bytes, "meta.db");
        // Meta page (txid % 2) holds the newest; damage its txid so its checksum fails.
        int newest = (int)(good.TxId % 2) * (int)good.PageSize;
        bytes[newest + 16 + 48] ^= 0x55;
        var older = BoltDb.Parse(bytes, "meta.db");
        Assert.Equal(good.TxId - 1, older.TxId);
    }

    [Fact]
    public void Both_metas_torn_is_a_format_error_naming_both()
    {
        var bytes = BoltFiles.Bytes(BoltFiles.MetaDb);
        bytes[16 + 56] ^= 1;
        bytes[4096 + 16 + 56] ^= 1;
        var e = Assert.Throws<BoltFormatException>(() => BoltDb.Parse(bytes, "meta.db"));
        Assert.Contains("page 0: its checksum does not match", e.Message);
        Assert.Contains("page 1: its checksum does not match", e.Message);
    }

    [Fact]
    public void A_truncated_file_is_a_format_error_saying_so()
    {
        var bytes = BoltFiles.Bytes(BoltFiles.MetaDb);
        var e = Assert.Throws<BoltFormatException>(() => BoltDb.Parse(bytes[..(bytes.Length / 2)], "meta.db"));
        Assert.Contains("truncated", e.Message);
        Assert.Throws<BoltFormatException>(() => BoltDb.Parse(bytes[..100], "meta.db"));
        Assert.Throws<BoltFormatException>(() => BoltDb.Parse(Array.Empty<byte>(), "meta.db"));
    }

    [Fact]
    public void A_page_referenced_twice_is_refused_as_a_cycle()
    {
        var bytes = BoltFiles.Bytes(BoltFiles.MetaDb);
        var db = BoltDb.Parse(bytes, "meta.db");
        // Point the v1 bucket's root at the root page itself: v1 -> root -> v1 -> ...
        ulong rootPage = RootPage(bytes, db);
        var v1 = db.Root.Find("v1")!.Value.Value;
        int at = ValueOffset(bytes, v1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), rootPage);
        var e = Assert.Throws<BoltFormatException>(() => BoltDb.Parse(bytes, "meta.db"));
        Assert.Contains("referenced twice", e.Message);
        Assert.Equal(rootPage, e.PageId);
    }

    [Fact]
    public void A_page_header_naming_another_page_is_refused()
    {
        var bytes = BoltFiles.Bytes(BoltFiles.MetaDb);
        var db = BoltDb.Parse(bytes, "meta.db");
        ulong rootPage = RootPage(bytes, db);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)(rootPage * db.PageSize)), rootPage + 1);
        var e = Assert.Throws<BoltFormatException>(() => BoltDb.Parse(bytes, "meta.db"));
        Assert.Contains($"says it is page {rootPage + 1}", e.Message);
        Assert.Equal((long)(rootPage * db.PageSize), e.Offset);
    }

    [Fact]
    public void An_element_count_beyond_the_page_is_refused()
    {
        var bytes = BoltFiles.Bytes(BoltFiles.MetaDb);
        var db = BoltDb.Parse(bytes, "meta.db");
        int at = (int)(RootPage(bytes, db) * db.PageSize);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 10), 0xFFFF);
        var e = Assert.Throws<BoltFormatException>(() => BoltDb.Parse(bytes, "meta.db"));
        Assert.Contains("65535 elements do not fit", e.Message);
    }

    static ulong RootPage(byte[] bytes, BoltDb db)
    {
        int meta = (int)(db.TxId % 2) * (int)db.PageSize + 16;
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(meta + 16));
    }

    /// <summary>Where a value returned by the reader lies in the bytes it was given (same array).</summary>
    static int ValueOffset(byte[] bytes, ReadOnlyMemory<byte> value)
    {
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(value, out var seg));
        Assert.Same(bytes, seg.Array);
        return seg.Offset;
    }
}
