using System.Text;

namespace OverlayPS.Core.Kernel;

/// <summary>
/// The two escapings a path meets on its way to and from the kernel.
/// Going in (mount(2) data): overlayfs splits options on unescaped ',' and lowerdir on
/// unescaped ':' (fs/overlayfs/params.c: ovl_next_opt, ovl_parse_param_split_lowerdirs), then
/// drops a backslash before any character (ovl_unescape), so '\', ':' and ',' are escaped with
/// a backslash. upperdir/workdir are unescaped the same way, even when given to fsconfig.
/// Coming out (/proc/self/mountinfo): the kernel prints the option string it was given, then
/// seq_file mangles space, tab, newline, ',' and '\' as octal "\NNN" (\040, \011, \012, \054,
/// \134). So a lowerdir "l\:b" reads "l\134:b" there. Checked against kernel 6.18.
/// </summary>
public static class OverlayOptionEscaping
{
    /// <summary>A path as one element of lowerdir=, or as upperdir=/workdir= value.</summary>
    public static string Escape(string path)
    {
        var sb = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            if (c is '\\' or ':' or ',')
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>ovl_unescape: a backslash makes the next character literal.</summary>
    public static string Unescape(string s)
    {
        if (s.IndexOf('\\') < 0)
            return s;
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
                i++;
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    /// <summary>Splits on <paramref name="separator"/> where it is not backslash-escaped; the
    /// parts keep their escapes. Empty parts are kept ("a::b" gives "a", "", "b").</summary>
    public static List<string> SplitUnescaped(string s, char separator)
    {
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
                continue;
            }
            if (s[i] == separator)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    /// <summary>
    /// Splits a lowerdir= value into the lowers and the data-only lowers: "a:b::d1::d2" gives
    /// lowers a, b and data layers d1, d2 (the kernel's "::" separator, Linux 6.5+).
    /// </summary>
    public static (List<string> Lowers, List<string> DataLowers) SplitLowerDir(string value)
    {
        var lowers = new List<string>();
        var data = new List<string>();
        bool inData = false;
        foreach (var part in SplitUnescaped(value, ':'))
        {
            if (part.Length == 0)
            {
                inData = true;
                continue;
            }
            (inData ? data : lowers).Add(Unescape(part));
        }
        return (lowers, data);
    }

    /// <summary>seq_file's octal mangling undone: "\040" is a space. Any other text stays.</summary>
    public static string OctalUnescape(string s)
    {
        if (s.IndexOf('\\') < 0)
            return s;
        var bytes = new List<byte>(s.Length);
        var raw = Encoding.UTF8.GetBytes(s);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\\'
                && IsOctal(raw, i + 1) && IsOctal(raw, i + 2) && IsOctal(raw, i + 3))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    static bool IsOctal(byte[] raw, int i) => i < raw.Length && raw[i] >= (byte)'0' && raw[i] <= (byte)'7';
}
