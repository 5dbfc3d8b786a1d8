using System.Buffers.Binary;

namespace OverlayPS.Core.Bolt;

/// <summary>
/// One of bbolt's two meta pages (pages 0 and 1, written alternately: page = txid % 2): where the
/// root bucket is, the page size, the high-water page id and the transaction id. bbolt
/// (meta.go) lays it out after the 16-byte page header as magic u32, version u32, pageSize u32,
/// flags u32, root {pgid u64, sequence u64}, freelist u64, pgid u64, txid u64, checksum u64,
/// little-endian, the checksum being FNV-1a 64 of the 56 bytes before it. A writer that crashed
/// mid-commit leaves one meta torn: its checksum fails and the other one is used.
/// </summary>
internal readonly record struct BoltMeta(uint PageSize, ulong RootPage, ulong RootSequence, ulong HighWater, ulong TxId)
{
    public const uint Magic = 0xED0CDAED;
    public const uint Version = 2;
    const int Size = 64, ChecksummedBytes = 56;

    /// <summary>The meta at <paramref name="pageOffset"/>, or null with the reason when it is
    /// absent, torn or not bbolt's.</summary>
    public static BoltMeta? TryRead(ReadOnlySpan<byte> file, long pageOffset, out string reason)
    {
        long at = pageOffset + BoltPage.HeaderSize;
        if (pageOffset < 0 || at + Size > file.Length)
        {
            reason = "the file ends before the meta page";
            return null;
        }
        var m = file.Slice((int)at, Size);
        if ((BinaryPrimitives.ReadUInt16LittleEndian(file[((int)pageOffset + 8)..]) & BoltPage.MetaFlag) == 0)
        {
            reason = "the page is not marked as a meta page";
            return null;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(m) != Magic)
        {
            reason = "no bbolt magic";
            return null;
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(m[4..]) != Version)
        {
            reason = $"format version {BinaryPrimitives.ReadUInt32LittleEndian(m[4..])}, not {Version}";
            return null;
        }
        if (BinaryPrimitives.ReadUInt64LittleEndian(m[56..]) != Fnv1a64(m[..ChecksummedBytes]))
        {
            reason = "its checksum does not match (a torn or damaged write)";
            return null;
        }
        uint pageSize = BinaryPrimitives.ReadUInt32LittleEndian(m[8..]);
        // bbolt uses the OS page size; anything not a power of two from 512 B to 1 MiB is damage.
        if (pageSize < 512 || pageSize > 1 << 20 || (pageSize & (pageSize - 1)) != 0)
        {
            reason = $"page size {pageSize} is not one bbolt writes";
            return null;
        }
        reason = "";
        return new BoltMeta(pageSize,
            RootPage: BinaryPrimitives.ReadUInt64LittleEndian(m[16..]),
            RootSequence: BinaryPrimitives.ReadUInt64LittleEndian(m[24..]),
            HighWater: BinaryPrimitives.ReadUInt64LittleEndian(m[40..]),
            TxId: BinaryPrimitives.ReadUInt64LittleEndian(m[48..]));
    }

    /// <summary>The page size meta page 0 claims, whatever its checksum says: where to look for
    /// meta page 1 when page 0 is the torn one.</summary>
    public static uint? ClaimedPageSize(ReadOnlySpan<byte> file)
    {
        if (file.Length < BoltPage.HeaderSize + 12)
            return null;
        return BinaryPrimitives.ReadUInt32LittleEndian(file[(BoltPage.HeaderSize + 8)..]);
    }

    /// <summary>FNV-1a, 64 bit (Go's hash/fnv New64a), what bbolt's meta.sum64 uses.</summary>
    public static ulong Fnv1a64(ReadOnlySpan<byte> data)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in data)
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return h;
    }
}
