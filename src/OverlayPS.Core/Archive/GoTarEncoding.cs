using System.Text;

namespace OverlayPS.Core.Archive;

/// <summary>
/// Header blocks exactly as Go's <c>archive/tar</c> Writer.WriteHeader writes them, because a
/// layer's DiffID is the sha256 of docker's stream and docker writes through that package.
/// Go's rules (writer.go, common.go allowedFormats): USTAR when every field fits (a long ASCII
/// name split into prefix/name), else PAX with an 'x' block of sorted records named
/// <c>dir/PaxHeaders.0/file</c>; a FormatPAX header may still come out as USTAR unless a time
/// needs PAX; explicit records force PAX. Fields are NUL-terminated octal with leading zeros;
/// the checksum is six octal digits, NUL, space. GNU-only cases (device numbers over 2^21) are
/// refused: no Linux device number reaches them.
/// </summary>
public static class GoTarEncoding
{
    public const int BlockSize = 512;
    const int NameSize = 100, PrefixSize = 155;

    /// <summary>The header block(s) for one entry: an optional pax block plus its records, then the header.</summary>
    public static byte[] Encode(TarHeader h)
    {
        var pax = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        bool ustar = true, paxOk = true, preferPax = false;

        void VerifyString(byte[] s, int size, string key, bool canSplit)
        {
            if (!IsAscii(s) || s.Length > size)
            {
                if (!canSplit || SplitUstarPath(s) is null)
                    ustar = false;
                pax[key] = s;
            }
        }
        void VerifyNumeric(long n, int size, string? key)
        {
            if (FitsInOctal(size, n))
                return;
            ustar = false;
            if (key is null)
                paxOk = false;
            else
                pax[key] = Ascii(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        VerifyString(h.Name, NameSize, "path", canSplit: true);
        VerifyString(h.LinkName, NameSize, "linkpath", canSplit: false);
        VerifyString(h.Uname, 32, "uname", canSplit: false);
        VerifyString(h.Gname, 32, "gname", canSplit: false);
        VerifyNumeric(h.Mode, 8, null);
        VerifyNumeric(h.Uid, 8, "uid");
        VerifyNumeric(h.Gid, 8, "gid");
        VerifyNumeric(h.Size, 12, "size");
        VerifyNumeric(h.DevMajor, 8, null);
        VerifyNumeric(h.DevMinor, 8, null);
        if (!FitsInOctal(12, h.MTime))
        {
            // verifyTime: an mtime outside octal range needs PAX (whole seconds: no fraction).
            ustar = false;
            preferPax = true;
            pax["mtime"] = Ascii(h.MTime.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (h.PaxRecords.Count > 0)
        {
            ustar = false;
            foreach (var (k, v) in h.PaxRecords)
                pax.TryAdd(k, v);
        }
        if (h.WantPax && preferPax)
            ustar = false;              // FormatPAX admits USTAR too, unless PAX is preferred
        if (!ustar && !paxOk)
            throw new ArgumentException("This entry needs GNU tar format (device numbers too large), which docker never writes.");

        using var outBuf = new MemoryStream();
        if (ustar)
        {
            var blk = TemplateV7Plus(h, ascii: false);
            var split = SplitUstarPath(h.Name);
            if (split is { } s)
            {
                Array.Clear(blk, 0, NameSize);
                PutString(blk, 0, NameSize, h.Name.AsSpan(s.Slash + 1));
                PutString(blk, 345, PrefixSize, h.Name.AsSpan(0, s.Slash));
            }
            Finish(blk);
            outBuf.Write(blk);
            return outBuf.ToArray();
        }
        if (pax.Count > 0)
        {
            var data = new MemoryStream();
            foreach (var (k, v) in pax)
                data.Write(PaxRecord(k, v));
            var records = data.ToArray();
            var blk = new byte[BlockSize];
            var paxName = ToAscii(PaxHeaderName(h.Name));
            int len = Math.Min(paxName.Length, NameSize);
            while (len > 0 && paxName[len - 1] == (byte)'/')
                len--;
            PutString(blk, 0, NameSize, paxName.AsSpan(0, len));
            PutOctal(blk, 100, 8, 0);
            PutOctal(blk, 108, 8, 0);
            PutOctal(blk, 116, 8, 0);
            PutOctal(blk, 124, 12, records.Length);
            PutOctal(blk, 136, 12, 0);
            blk[156] = TarType.PaxLocal;
            Finish(blk);
            outBuf.Write(blk);
            outBuf.Write(records);
            outBuf.Write(new byte[Padding(records.Length)]);
        }
        var main = TemplateV7Plus(h, ascii: true);
        Finish(main);
        outBuf.Write(main);
        return outBuf.ToArray();
    }

    /// <summary>Zero bytes that fill the last data block of an entry.</summary>
    public static int Padding(long size) => (int)((BlockSize - size % BlockSize) % BlockSize);

    /// <summary>templateV7Plus: the v7 and ustar fields; in PAX form strings go through toASCII
    /// and are cut to their field (the full value is in the records).</summary>
    static byte[] TemplateV7Plus(TarHeader h, bool ascii)
    {
        var b = new byte[BlockSize];
        b[156] = h.Type;
        PutString(b, 0, NameSize, ascii ? ToAscii(h.Name) : h.Name);
        PutString(b, 157, NameSize, ascii ? ToAscii(h.LinkName) : h.LinkName);
        PutOctal(b, 100, 8, h.Mode);
        PutOctal(b, 108, 8, h.Uid);
        PutOctal(b, 116, 8, h.Gid);
        PutOctal(b, 124, 12, h.Size);
        PutOctal(b, 136, 12, h.MTime);
        PutString(b, 265, 32, ascii ? ToAscii(h.Uname) : h.Uname);
        PutString(b, 297, 32, ascii ? ToAscii(h.Gname) : h.Gname);
        PutOctal(b, 329, 8, h.DevMajor);
        PutOctal(b, 337, 8, h.DevMinor);
        return b;
    }

    /// <summary>setFormat(USTAR|PAX): magic "ustar\0", version "00", then the checksum.</summary>
    static void Finish(byte[] b)
    {
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(b, 257);
        b[263] = (byte)'0';
        b[264] = (byte)'0';
        long sum = 0;
        for (int i = 0; i < BlockSize; i++)
            sum += i is >= 148 and < 156 ? (byte)' ' : b[i];
        PutOctal(b, 148, 7, sum);
        b[155] = (byte)' ';
    }

    /// <summary>formatString: copy, NUL-terminate when room is left; a cut value whose last kept
    /// byte is '/' has its trailing slashes replaced by a NUL (Go does this for buggy readers).</summary>
    static void PutString(byte[] b, int at, int size, ReadOnlySpan<byte> s)
    {
        int n = Math.Min(s.Length, size);
        s[..n].CopyTo(b.AsSpan(at, size));
        if (s.Length < size)
            b[at + s.Length] = 0;
        if (s.Length > size && b[at + size - 1] == (byte)'/')
        {
            int k = size - 1;
            while (k > 0 && s[k - 1] == (byte)'/')
                k--;
            b[at + k] = 0;
        }
    }

    /// <summary>formatOctal: leading zeros leaving room for a NUL; a value that does not fit is written as 0.</summary>
    static void PutOctal(byte[] b, int at, int size, long x)
    {
        if (!FitsInOctal(size, x))
            x = 0;
        var s = Convert.ToString(x, 8);
        int zeros = size - s.Length - 1;
        if (zeros > 0)
            s = new string('0', zeros) + s;
        PutString(b, at, size, Encoding.ASCII.GetBytes(s));
    }

    static bool FitsInOctal(int size, long x) => x >= 0 && (size >= 22 || x < 1L << ((size - 1) * 3));

    /// <summary>splitUSTARPath: a long ASCII name split at a '/' into prefix (≤155) and name (≤100).</summary>
    static (int Slash, int Unused)? SplitUstarPath(byte[] name)
    {
        int length = name.Length;
        if (length <= NameSize || !IsAscii(name))
            return null;
        if (length > PrefixSize + 1)
            length = PrefixSize + 1;
        else if (name[length - 1] == (byte)'/')
            length--;
        int i = name.AsSpan(0, length).LastIndexOf((byte)'/');
        int nlen = name.Length - i - 1, plen = i;
        if (i <= 0 || nlen > NameSize || nlen == 0 || plen > PrefixSize)
            return null;
        return (i, 0);
    }

    /// <summary>path.Join(dir, "PaxHeaders.0", file) of path.Split(name): the pax block's own name.</summary>
    static byte[] PaxHeaderName(byte[] name)
    {
        int slash = name.AsSpan().LastIndexOf((byte)'/');
        var dir = name.AsSpan(0, slash + 1);
        var file = name.AsSpan(slash + 1);
        var joined = new List<byte>();
        joined.AddRange(dir.ToArray());
        joined.AddRange("PaxHeaders.0"u8.ToArray());
        if (file.Length > 0)
        {
            joined.Add((byte)'/');
            joined.AddRange(file.ToArray());
        }
        return CleanPath(joined.ToArray());
    }

    /// <summary>Go's path.Clean for the names docker writes (no "..": those never reach a layer):
    /// repeated slashes and "." components go, as does a trailing slash.</summary>
    static byte[] CleanPath(byte[] p)
    {
        var parts = new List<byte[]>();
        int start = 0;
        for (int i = 0; i <= p.Length; i++)
        {
            if (i < p.Length && p[i] != (byte)'/')
                continue;
            var part = p.AsSpan(start, i - start);
            if (part.Length > 0 && !(part.Length == 1 && part[0] == (byte)'.'))
                parts.Add(part.ToArray());
            start = i + 1;
        }
        var result = new List<byte>();
        if (p.Length > 0 && p[0] == (byte)'/')
            result.Add((byte)'/');
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0)
                result.Add((byte)'/');
            result.AddRange(parts[i]);
        }
        return result.Count == 0 ? "."u8.ToArray() : result.ToArray();
    }

    /// <summary>formatPAXRecord: "&lt;len&gt; key=value\n" where len counts itself.</summary>
    static byte[] PaxRecord(string key, byte[] value)
    {
        var k = Encoding.ASCII.GetBytes(key);
        int size = k.Length + value.Length + 3;
        size += size.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        var prefix = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int total = prefix.Length + 1 + k.Length + 1 + value.Length + 1;
        if (total != size)
            prefix = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rec = new MemoryStream();
        rec.Write(Encoding.ASCII.GetBytes(prefix + " "));
        rec.Write(k);
        rec.WriteByte((byte)'=');
        rec.Write(value);
        rec.WriteByte((byte)'\n');
        return rec.ToArray();
    }

    static bool IsAscii(ReadOnlySpan<byte> s)
    {
        foreach (var c in s)
        {
            if (c >= 0x80)
                return false;
        }
        return true;
    }

    /// <summary>toASCII: an ASCII value as it is, else every byte of a non-ASCII rune (and NUL) dropped.</summary>
    static byte[] ToAscii(byte[] s)
    {
        if (IsAscii(s))
            return s;
        return s.Where(c => c is < 0x80 and not 0).ToArray();
    }

    static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}
