using System.Text;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Names are bytes on Linux (any byte but '/' and NUL); Core carries them as .NET strings
/// without losing one. Valid UTF-8 decodes as usual; every byte that is not part of a valid
/// UTF-8 sequence becomes the lone surrogate U+DC00+byte (U+DC80..U+DCFF), the scheme Python
/// calls surrogateescape. Encoding reverses it exactly, so a name read from getdents64 or a
/// symlink target read with readlinkat goes back to disk byte for byte. Such surrogates never
/// come out of decoding valid UTF-8 (UTF-8 cannot encode surrogates), so the mapping is
/// one-to-one.
/// </summary>
public static class FileNames
{
    /// <summary>The string for raw name bytes (getdents64, readlink, xattr names).</summary>
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        if (IsAscii(raw))
            return Encoding.ASCII.GetString(raw);
        var sb = new StringBuilder(raw.Length);
        int i = 0;
        while (i < raw.Length)
        {
            int len = ValidSequenceLength(raw[i..]);
            if (len == 0)
            {
                sb.Append((char)(0xDC00 + raw[i]));
                i++;
                continue;
            }
            sb.Append(Encoding.UTF8.GetString(raw.Slice(i, len)));
            i += len;
        }
        return sb.ToString();
    }

    /// <summary>The bytes for a name, NUL-terminated (what a system call takes).</summary>
    public static byte[] EncodeZ(string name)
    {
        var bytes = new byte[ByteCount(name) + 1];
        Encode(name, bytes);
        return bytes;
    }

    /// <summary>The bytes for a name, without a terminator.</summary>
    public static byte[] Encode(string name)
    {
        var bytes = new byte[ByteCount(name)];
        Encode(name, bytes);
        return bytes;
    }

    /// <summary>True when the name holds an escaped (non-UTF-8) byte.</summary>
    public static bool HasRawBytes(string name)
    {
        foreach (var c in name)
        {
            if (c is >= '\uDC80' and <= '\uDCFF')
                return true;
        }
        return false;
    }

    static int ByteCount(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { n += 4; i++; }
            else if (c is >= '\uDC80' and <= '\uDCFF') n += 1;
            else if (char.IsSurrogate(c))
                throw new PosixException(Errno.EINVAL, s, "encode name");
            else n += 3;
        }
        return n;
    }

    static void Encode(string s, Span<byte> into)
    {
        int o = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < 0x80)
                into[o++] = (byte)c;
            else if (c is >= '\uDC80' and <= '\uDCFF')
                into[o++] = (byte)(c - 0xDC00);
            else if (char.IsHighSurrogate(c))
            {
                o += Encoding.UTF8.GetBytes(s.AsSpan(i, 2), into[o..]);
                i++;
            }
            else
                o += Encoding.UTF8.GetBytes(s.AsSpan(i, 1), into[o..]);
        }
    }

    static bool IsAscii(ReadOnlySpan<byte> raw)
    {
        foreach (var b in raw)
        {
            if (b >= 0x80)
                return false;
        }
        return true;
    }

    /// <summary>Length of the well-formed UTF-8 sequence at the start (RFC 3629: no overlong
    /// forms, no surrogates, nothing above U+10FFFF), or 0 when the first byte starts none.</summary>
    static int ValidSequenceLength(ReadOnlySpan<byte> s)
    {
        byte b0 = s[0];
        if (b0 < 0x80) return 1;
        int len; byte lo = 0x80, hi = 0xBF;
        if (b0 is >= 0xC2 and <= 0xDF) len = 2;
        else if (b0 == 0xE0) { len = 3; lo = 0xA0; }
        else if (b0 == 0xED) { len = 3; hi = 0x9F; }
        else if (b0 is >= 0xE1 and <= 0xEF) len = 3;
        else if (b0 == 0xF0) { len = 4; lo = 0x90; }
        else if (b0 is >= 0xF1 and <= 0xF3) len = 4;
        else if (b0 == 0xF4) { len = 4; hi = 0x8F; }
        else return 0;
        if (s.Length < len || s[1] < lo || s[1] > hi)
            return 0;
        for (int k = 2; k < len; k++)
        {
            if (s[k] is < 0x80 or > 0xBF)
                return 0;
        }
        return len;
    }
}
