using OverlayPS.Core.Posix;

namespace OverlayPS.Items;

/// <summary>The ten-character mode `ls -l` prints ("drwxr-xr-x"), and its parse back to bits.</summary>
public static class ModeString
{
    public static string Format(FileKind kind, uint mode)
    {
        Span<char> s = stackalloc char[10];
        s[0] = kind switch
        {
            FileKind.Directory => 'd',
            FileKind.Symlink => 'l',
            FileKind.CharDevice => 'c',
            FileKind.BlockDevice => 'b',
            FileKind.Fifo => 'p',
            FileKind.Socket => 's',
            _ => '-',
        };
        Triplet(s.Slice(1, 3), mode >> 6, (mode & 0x800) != 0, 's');  // setuid
        Triplet(s.Slice(4, 3), mode >> 3, (mode & 0x400) != 0, 's');  // setgid
        Triplet(s.Slice(7, 3), mode, (mode & 0x200) != 0, 't');       // sticky
        return new string(s);
    }

    static void Triplet(Span<char> s, uint bits, bool special, char specialChar)
    {
        s[0] = (bits & 4) != 0 ? 'r' : '-';
        s[1] = (bits & 2) != 0 ? 'w' : '-';
        bool x = (bits & 1) != 0;
        s[2] = special ? (x ? specialChar : char.ToUpperInvariant(specialChar)) : (x ? 'x' : '-');
    }

    /// <summary>
    /// Reads "755", "0755", "rwxr-xr-x", "-rwxr-xr-x" or a number into permission bits
    /// (including setuid/setgid/sticky); null when the text is none of those. A PowerShell
    /// number literal (an int) written with octal digits only is read as chmod reads it:
    /// `-Value 644` is 0644, not 644 decimal (which is --w----r-T). Other numbers, such as
    /// an item's ModeBits (a uint), are the bits themselves.
    /// </summary>
    public static uint? Parse(object? value)
    {
        switch (value)
        {
            case int i when i is >= 0 and <= 7777 && i.ToString(System.Globalization.CultureInfo.InvariantCulture).All(c => c <= '7'):
                return Convert.ToUInt32(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 8);
            case int i when i >= 0 && i <= 0xFFF: return (uint)i;
            case uint u when u <= 0xFFF: return u;
            case long l when l >= 0 && l <= 0xFFF: return (uint)l;
            case string text: return ParseText(text.Trim());
            default: return null;
        }
    }

    static uint? ParseText(string text)
    {
        if (text.Length is >= 3 and <= 4 && text.All(c => c is >= '0' and <= '7'))
            return Convert.ToUInt32(text, 8);
        if (text.Length == 10)
            text = text.Substring(1);
        if (text.Length != 9)
            return null;
        uint mode = 0;
        for (int i = 0; i < 9; i++)
        {
            char c = text[i];
            uint bit = 1u << (8 - i);
            int pos = i % 3;
            char expected = pos == 0 ? 'r' : pos == 1 ? 'w' : 'x';
            if (c == expected) mode |= bit;
            else if (pos == 2 && c is 's' or 't' or 'S' or 'T')
            {
                if (c is 's' or 't') mode |= bit;
                mode |= i == 2 ? 0x800u : i == 5 ? 0x400u : 0x200u;
            }
            else if (c != '-') return null;
        }
        return mode;
    }
}
