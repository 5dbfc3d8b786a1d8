using System.Buffers.Binary;
using System.Text;
using OverlayPS.Core.Bolt;

namespace OverlayPS.Core.Containerd;

/// <summary>
/// How containerd encodes the values it puts in its bbolt files (metadata/boltutil and the
/// overlayfs snapshotter's storage/bolt.go): strings as raw bytes, sizes as Go varints
/// (binary.PutVarint), snapshot ids as uvarints, kinds as one byte, times as Go's
/// time.MarshalBinary. A value of the wrong shape reads as null, never as a wrong number.
/// </summary>
internal static class BoltValues
{
    public static string? String(BoltBucket? b, string key) => b?.String(key);

    /// <summary>Go's binary.Uvarint: 7 bits a byte, low first, at most 10 bytes.</summary>
    public static ulong? Uvarint(BoltBucket? b, string key) =>
        b?.Value(key) is { } v ? Uvarint(v.Span) : null;

    public static ulong? Uvarint(ReadOnlySpan<byte> s)
    {
        ulong x = 0;
        for (int i = 0, shift = 0; i < s.Length && i < 10; i++, shift += 7)
        {
            byte c = s[i];
            if (i == 9 && c > 1)
                return null;   // overflows 64 bits
            x |= (ulong)(c & 0x7f) << shift;
            if (c < 0x80)
                return i == s.Length - 1 ? x : null;   // trailing bytes: not a varint value
        }
        return null;
    }

    /// <summary>Go's binary.Varint: a zig-zag uvarint.</summary>
    public static long? Varint(BoltBucket? b, string key)
    {
        if (b?.Value(key) is not { } v || Uvarint(v.Span) is not { } u)
            return null;
        long x = (long)(u >> 1);
        return (u & 1) != 0 ? ~x : x;
    }

    /// <summary>Go's time.MarshalBinary (version 1, or 2 with seconds in the zone offset): a
    /// version byte, seconds since 0001-01-01 UTC (int64 BE), nanoseconds (int32 BE), zone
    /// offset in minutes (int16 BE). Returned in UTC.</summary>
    public static DateTime? Time(BoltBucket? b, string key)
    {
        if (b?.Value(key) is not { } v)
            return null;
        var s = v.Span;
        if (s.Length is not (15 or 16) || s[0] is not (1 or 2))
            return null;
        long sec = BinaryPrimitives.ReadInt64BigEndian(s[1..]);
        int nsec = BinaryPrimitives.ReadInt32BigEndian(s[9..]);
        if (sec < 0 || sec > (DateTime.MaxValue.Ticks / TimeSpan.TicksPerSecond) - 1 || nsec is < 0 or >= 1_000_000_000)
            return null;
        return new DateTime(sec * TimeSpan.TicksPerSecond + nsec / 100, DateTimeKind.Utc);
    }

    /// <summary>A labels/ (or annotations/) bucket as a dictionary; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> Labels(BoltBucket? b, string key = "labels")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (b?.Bucket(key) is { } labels)
            foreach (var (name, value) in labels.Values)
                result[name] = Encoding.UTF8.GetString(value.Span);
        return result;
    }
}
