using System.Buffers.Binary;

namespace OverlayPS.Core.Bolt;

/// <summary>
/// bbolt's page layout (page.go): a 16-byte header (id u64, flags u16, count u16, overflow u32)
/// then <c>count</c> 16-byte elements, then the keys and values they point at. A page with
/// overflow N spans N + 1 pages. Branch elements are (pos u32, ksize u32, pgid u64), leaf
/// elements (flags u32, pos u32, ksize u32, vsize u32); pos counts from the element itself.
/// </summary>
internal static class BoltPage
{
    public const int HeaderSize = 16, ElementSize = 16;
    public const ushort BranchFlag = 0x01, LeafFlag = 0x02, MetaFlag = 0x04, FreelistFlag = 0x10;
    /// <summary>Leaf element flag: the value is a bucket header (root pgid u64, sequence u64),
    /// and with root 0 an inline leaf page follows it inside the value.</summary>
    public const uint BucketLeafFlag = 0x01;
    public const int BucketHeaderSize = 16;

    public readonly record struct Header(ulong Id, ushort Flags, ushort Count, uint Overflow);

    public static Header ReadHeader(ReadOnlySpan<byte> file, int at) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(file[at..]),
        BinaryPrimitives.ReadUInt16LittleEndian(file[(at + 8)..]),
        BinaryPrimitives.ReadUInt16LittleEndian(file[(at + 10)..]),
        BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 12)..]));

    public static string Describe(ushort flags) => flags switch
    {
        BranchFlag => "branch",
        LeafFlag => "leaf",
        MetaFlag => "meta",
        FreelistFlag => "freelist",
        _ => $"flags 0x{flags:x}",
    };
}
