using System.Text;

namespace OverlayPS.Core.Archive;

/// <summary>One entry of a tar as read: raw name bytes after every extension header applied.</summary>
public sealed class TarEntry
{
    public byte Type;
    public byte[] Name = Array.Empty<byte>();
    public byte[] LinkName = Array.Empty<byte>();
    public long Mode, Uid, Gid, Size, MTime, DevMajor, DevMinor;
    /// <summary>SCHILY.xattr.* records: xattr name to value.</summary>
    public Dictionary<string, byte[]> Xattrs { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A small, bounded tar reader: ustar, pax ('x' records for path, linkpath, size, uid, gid,
/// mtime, SCHILY.xattr.*; 'g' read and ignored) and GNU long names ('L', 'K'). Names stay
/// bytes (System.Formats.Tar decodes them as UTF-8 and would lose a non-UTF-8 name). Every
/// length it believes is bounded (extension data at most 1 MiB) and every header's checksum
/// is checked, so a hostile tar can make it refuse, never allocate without limit. Sparse
/// files and unknown types are refused by the caller from <see cref="TarEntry.Type"/>.
/// </summary>
public sealed class TarEntryReader(Stream input)
{
    public const int MaxExtensionBytes = 1 << 20;
    readonly byte[] _block = new byte[GoTarEncoding.BlockSize];
    long _dataLeft, _padLeft;

    /// <summary>The next entry, or null at the end (a zero block, or the end of the stream).</summary>
    public TarEntry? Next()
    {
        SkipRest();
        byte[]? longName = null, longLink = null;
        Dictionary<string, byte[]>? pax = null;
        while (true)
        {
            if (!ReadBlock(allowEnd: true) || IsZero(_block))
                return null;
            VerifyChecksum();
            byte type = _block[156];
            long size = ParseNumber(_block.AsSpan(124, 12), "size");
            if (type is TarType.PaxLocal or TarType.PaxGlobal or TarType.GnuLongName or TarType.GnuLongLink)
            {
                if (size > MaxExtensionBytes)
                    throw new TarFormatException($"An extension header of {size} bytes (more than {MaxExtensionBytes}).");
                var data = ReadExact((int)size);
                Skip(GoTarEncoding.Padding(size));
                switch (type)
                {
                    case TarType.PaxLocal: pax = ParsePax(data); break;
                    case TarType.GnuLongName: longName = TrimNul(data); break;
                    case TarType.GnuLongLink: longLink = TrimNul(data); break;
                }
                continue;
            }
            var e = new TarEntry
            {
                Type = type,
                Mode = ParseNumber(_block.AsSpan(100, 8), "mode"),
                Uid = ParseNumber(_block.AsSpan(108, 8), "uid"),
                Gid = ParseNumber(_block.AsSpan(116, 8), "gid"),
                Size = size,
                MTime = ParseNumber(_block.AsSpan(136, 12), "mtime"),
                LinkName = longLink ?? CString(_block.AsSpan(157, 100)),
            };
            bool ustar = _block.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
            if (ustar || _block.AsSpan(257, 8).SequenceEqual("ustar  \0"u8))
            {
                e.DevMajor = ParseNumber(_block.AsSpan(329, 8), "devmajor");
                e.DevMinor = ParseNumber(_block.AsSpan(337, 8), "devminor");
            }
            var name = CString(_block.AsSpan(0, 100));
            var prefix = ustar ? CString(_block.AsSpan(345, 155)) : Array.Empty<byte>();
            e.Name = longName ?? (prefix.Length > 0 ? [.. prefix, (byte)'/', .. name] : name);
            if (pax is not null)
                ApplyPax(e, pax);
            if (e.Size < 0)
                throw new TarFormatException("A negative size.");
            _dataLeft = TarType.IsHeaderOnly(e.Type) ? 0 : e.Size;
            _padLeft = GoTarEncoding.Padding(_dataLeft);
            return e;
        }
    }

    /// <summary>Reads the current entry's data; 0 at its end. A stream that ends early is refused.</summary>
    public int ReadData(Span<byte> into)
    {
        if (_dataLeft == 0)
            return 0;
        int want = (int)Math.Min(into.Length, _dataLeft);
        int n = input.Read(into[..want]);
        if (n == 0)
            throw new TarFormatException("The tar ends inside an entry's data.");
        _dataLeft -= n;
        return n;
    }

    void SkipRest()
    {
        Skip(_dataLeft + _padLeft);
        _dataLeft = _padLeft = 0;
    }

    void Skip(long n)
    {
        var buf = new byte[8192];
        while (n > 0)
        {
            int r = input.Read(buf, 0, (int)Math.Min(buf.Length, n));
            if (r == 0)
                throw new TarFormatException("The tar ends inside an entry.");
            n -= r;
        }
    }

    bool ReadBlock(bool allowEnd)
    {
        int got = 0;
        while (got < _block.Length)
        {
            int n = input.Read(_block, got, _block.Length - got);
            if (n == 0)
            {
                if (got == 0 && allowEnd)
                    return false;
                throw new TarFormatException("The tar ends inside a header.");
            }
            got += n;
        }
        return true;
    }

    byte[] ReadExact(int size)
    {
        var data = new byte[size];
        int got = 0;
        while (got < size)
        {
            int n = input.Read(data, got, size - got);
            if (n == 0)
                throw new TarFormatException("The tar ends inside an extension header.");
            got += n;
        }
        return data;
    }

    void VerifyChecksum()
    {
        long stored = ParseNumber(_block.AsSpan(148, 8), "checksum");
        long unsigned = 0, signed = 0;
        for (int i = 0; i < _block.Length; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : _block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (stored != unsigned && stored != signed)
            throw new TarFormatException("A header's checksum does not match (not a tar, or a damaged one).");
    }

    /// <summary>Octal (space or NUL terminated), or base-256 when the high bit of the first byte is set.</summary>
    static long ParseNumber(ReadOnlySpan<byte> f, string field)
    {
        if (f.Length > 0 && (f[0] & 0x80) != 0)
        {
            if ((f[0] & 0x40) != 0 || f.Length > 9 || (f.Length == 9 && (f[0] & 0x7f) != 0))
                throw new TarFormatException($"The {field} field holds a base-256 number out of range.");
            long v = f[0] & 0x3f;
            for (int i = 1; i < f.Length; i++)
                v = (v << 8) | f[i];
            return v;
        }
        f = f.Trim((byte)' ').TrimEnd((byte)0).Trim((byte)' ');
        long x = 0;
        foreach (var c in f)
        {
            if (c is < (byte)'0' or > (byte)'7')
                throw new TarFormatException($"The {field} field is not an octal number.");
            if (x > (long.MaxValue >> 3))
                throw new TarFormatException($"The {field} field is too large.");
            x = (x << 3) | (long)(c - '0');
        }
        return x;
    }

    /// <summary>"&lt;len&gt; key=value\n" records; a malformed one refuses the whole tar.</summary>
    static Dictionary<string, byte[]> ParsePax(byte[] data)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        int at = 0;
        while (at < data.Length)
        {
            int sp = Array.IndexOf(data, (byte)' ', at);
            if (sp < 0 || sp == at || sp - at > 8)
                throw new TarFormatException("A pax record without a length.");
            int len = 0;
            for (int i = at; i < sp; i++)
            {
                if (data[i] is < (byte)'0' or > (byte)'9')
                    throw new TarFormatException("A pax record's length is not a number.");
                len = len * 10 + (data[i] - '0');
            }
            int end = at + len;
            if (len <= sp - at + 1 || end > data.Length || data[end - 1] != (byte)'\n')
                throw new TarFormatException("A pax record's length does not fit it.");
            int eq = Array.IndexOf(data, (byte)'=', sp + 1, end - sp - 1);
            if (eq < 0)
                throw new TarFormatException("A pax record without '='.");
            var key = Encoding.UTF8.GetString(data, sp + 1, eq - sp - 1);
            records[key] = data[(eq + 1)..(end - 1)];
            at = end;
        }
        return records;
    }

    static void ApplyPax(TarEntry e, Dictionary<string, byte[]> pax)
    {
        foreach (var (k, v) in pax)
        {
            switch (k)
            {
                case "path": e.Name = v; break;
                case "linkpath": e.LinkName = v; break;
                case "size": e.Size = Decimal(v, k); break;
                case "uid": e.Uid = Decimal(v, k); break;
                case "gid": e.Gid = Decimal(v, k); break;
                case "mtime": e.MTime = Decimal(v.AsSpan(0, IndexOrLength(v, (byte)'.')).ToArray(), k); break;
                default:
                    if (k.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        e.Xattrs[k["SCHILY.xattr.".Length..]] = v;
                    else if (k.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                        throw new TarFormatException("Sparse files (GNU.sparse pax records) are not supported.");
                    break;
            }
        }
    }

    static int IndexOrLength(byte[] v, byte b) { int i = Array.IndexOf(v, b); return i < 0 ? v.Length : i; }

    static long Decimal(byte[] v, string key)
    {
        var s = Encoding.ASCII.GetString(v);
        return long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var x)
            ? x : throw new TarFormatException($"The pax record '{key}' is not a number.");
    }

    static byte[] CString(ReadOnlySpan<byte> f)
    {
        int nul = f.IndexOf((byte)0);
        return (nul < 0 ? f : f[..nul]).ToArray();
    }

    static byte[] TrimNul(byte[] d)
    {
        int n = d.Length;
        while (n > 0 && d[n - 1] == 0)
            n--;
        return d[..n];
    }

    static bool IsZero(byte[] b) => !b.AsSpan().ContainsAnyExcept((byte)0);
}

/// <summary>The input is not a tar this reader accepts (damaged, truncated, oversized extension).</summary>
public sealed class TarFormatException(string message) : IOException(message);
