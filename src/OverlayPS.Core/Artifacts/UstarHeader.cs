using System.Text;

namespace OverlayPS.Core.Artifacts;

/// <summary>
/// The 512-byte ustar headers of an image tar's own entries (directories, small JSON files,
/// layer.tar): names under 100 bytes, owner 0:0, mtime 0 so the same image saves to the same
/// bytes. A size of 8 GiB or more uses the base-256 form Go's archive/tar reads.
/// </summary>
internal static class UstarHeader
{
    public const int Block = 512;

    public static void Write(Stream s, string name, long size, bool directory)
    {
        var h = new byte[Block];
        var n = Encoding.UTF8.GetBytes(name);
        if (n.Length > 100)
            throw new ArgumentException($"tar name '{name}' is longer than 100 bytes.");
        n.CopyTo(h, 0);
        Octal(h, 100, 8, directory ? 0x1ED : 0x1A4);   // 0755 / 0644
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        if (size <= 077777777777L)
            Octal(h, 124, 12, size);
        else
        {
            h[124] = 0x80;
            for (int i = 0; i < 8; i++)
                h[135 - i] = (byte)(size >> (8 * i));
        }
        Octal(h, 136, 12, 0);
        h[156] = directory ? (byte)'5' : (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(h, 257);
        for (int i = 148; i < 156; i++) h[i] = (byte)' ';
        long sum = 0;
        foreach (var b in h) sum += b;
        Octal(h, 148, 7, sum);
        h[155] = (byte)' ';
        s.Write(h);
    }

    public static void Pad(Stream s, long size)
    {
        int rem = (int)(size % Block);
        if (rem != 0)
            s.Write(new byte[Block - rem]);
    }

    public static void End(Stream s) => s.Write(new byte[2 * Block]);

    static void Octal(byte[] h, int offset, int width, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(h, offset);
        h[offset + width - 1] = 0;
    }
}
