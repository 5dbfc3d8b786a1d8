using System.Buffers.Binary;

namespace OverlayPS.Core.Artifacts;

/// <summary>
/// CRC-64 with the ISO 3309 polynomial, exactly Go's <c>hash/crc64</c> with <c>crc64.ISO</c>:
/// reflected polynomial 0xD800000000000000, register preset to all ones and inverted at the end
/// (Go's update does <c>crc = ^crc</c> before and after). tar-split stores each file's sum as
/// Go's <c>Sum(nil)</c> writes it: the 8 bytes big-endian. (.NET's System.IO.Hashing.Crc64 is
/// ECMA-182, another polynomial: its sums never match tar-split's.) Slicing-by-8 tables: eight
/// bytes per step, so checking a layer costs about what reading it does.
/// </summary>
public sealed class Crc64Iso
{
    const ulong Poly = 0xD800000000000000UL;
    static readonly ulong[][] Tables = BuildTables();

    ulong _crc;   // the running value, not inverted (Go keeps it inverted between calls; same thing)

    public void Reset() => _crc = 0;

    public void Append(ReadOnlySpan<byte> data) => _crc = Update(_crc, data);

    /// <summary>The sum as Go's Sum64.</summary>
    public ulong Value => _crc;

    /// <summary>The sum as tar-split stores it: Go's Sum(nil), 8 bytes big-endian.</summary>
    public byte[] Sum()
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, _crc);
        return b;
    }

    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);

    static ulong Update(ulong crc, ReadOnlySpan<byte> p)
    {
        crc = ~crc;
        var t = Tables;
        ulong[] t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
        while (p.Length >= 8)
        {
            crc ^= BinaryPrimitives.ReadUInt64LittleEndian(p);
            crc = t7[crc & 0xff] ^ t6[(crc >> 8) & 0xff] ^ t5[(crc >> 16) & 0xff] ^ t4[(crc >> 24) & 0xff]
                ^ t3[(crc >> 32) & 0xff] ^ t2[(crc >> 40) & 0xff] ^ t1[(crc >> 48) & 0xff] ^ t0[crc >> 56];
            p = p[8..];
        }
        foreach (var b in p)
            crc = t0[(byte)crc ^ b] ^ (crc >> 8);
        return ~crc;
    }

    static ulong[][] BuildTables()
    {
        var t = new ulong[8][];
        for (int k = 0; k < 8; k++) t[k] = new ulong[256];
        for (int i = 0; i < 256; i++)
        {
            ulong crc = (ulong)i;
            for (int j = 0; j < 8; j++)
                crc = (crc & 1) == 1 ? (crc >> 1) ^ Poly : crc >> 1;
            t[0][i] = crc;
        }
        for (int i = 0; i < 256; i++)
            for (int k = 1; k < 8; k++)
                t[k][i] = t[0][t[k - 1][i] & 0xff] ^ (t[k - 1][i] >> 8);
        return t;
    }
}
