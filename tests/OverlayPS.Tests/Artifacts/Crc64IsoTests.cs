using System.Text;
using OverlayPS.Core.Artifacts;

namespace OverlayPS.Tests.Artifacts;

/// <summary>CRC-64 as Go's hash/crc64 with the ISO table, which tar-split's checksums use.</summary>
public sealed class Crc64IsoTests
{
    [Fact]
    public void Gives_the_check_value_of_CRC64_GO_ISO_not_ECMA()
    {
        // The catalogue's check value for "123456789" (CRC-64/GO-ISO); ECMA-182 (CRC-64/XZ,
        // what System.IO.Hashing.Crc64 is near) gives 0x995dc9bbdf1939fa.
        Assert.Equal(0xb90956c775a41001UL, Crc64Iso.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.NotEqual(0x995dc9bbdf1939faUL, Crc64Iso.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0UL, Crc64Iso.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Sums_big_endian_as_go_Sum_writes_them()
    {
        var c = new Crc64Iso();
        c.Append(Encoding.ASCII.GetBytes("123456789"));
        Assert.Equal(new byte[] { 0xb9, 0x09, 0x56, 0xc7, 0x75, 0xa4, 0x10, 0x01 }, c.Sum());
    }

    [Fact]
    public void Eight_bytes_at_a_time_matches_the_bitwise_definition_in_any_chunking()
    {
        var rng = new Random(17);
        foreach (var len in new[] { 1, 7, 8, 9, 63, 64, 1000, 65537 })
        {
            var data = new byte[len];
            rng.NextBytes(data);
            var c = new Crc64Iso();
            for (int i = 0; i < len; i += 13)
                c.Append(data.AsSpan(i, Math.Min(13, len - i)));
            Assert.Equal(Bitwise(data), c.Value);
            Assert.Equal(Bitwise(data), Crc64Iso.Compute(data));
        }
    }

    static ulong Bitwise(byte[] data)
    {
        ulong crc = ~0UL;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xD800000000000000UL : crc >> 1;
        }
        return ~crc;
    }
}
