using System.Text;

namespace OverlayPS.Core.Text;

/// <summary>
/// The last lines of a stream, for Get-OverlayContent -Tail (Get-Content -Tail works only for
/// the FileSystem provider). For encodings where '\n' is one byte that never occurs inside
/// another character (UTF-8, ASCII, Latin-1) a seekable stream is read backwards in blocks,
/// so the cost follows the tail, not the file; other encodings stream forward keeping the
/// last lines in a ring.
/// </summary>
public static class TailReader
{
    const int Block = 1 << 16;

    public static IReadOnlyList<string> LastLines(Stream stream, int count, Encoding encoding)
    {
        if (count <= 0)
            return Array.Empty<string>();
        bool byteNewline = encoding is UTF8Encoding or ASCIIEncoding || encoding.CodePage == 28591;
        if (stream.CanSeek && byteNewline)
            return Backwards(stream, count, encoding);
        return Forwards(stream, count, encoding);
    }

    static IReadOnlyList<string> Forwards(Stream stream, int count, Encoding encoding)
    {
        var ring = new Queue<string>(count);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            if (ring.Count == count)
                ring.Dequeue();
            ring.Enqueue(line);
        }
        return ring.ToArray();
    }

    static IReadOnlyList<string> Backwards(Stream stream, int count, Encoding encoding)
    {
        long end = stream.Length;
        // A final newline ends the last line; it does not start an empty one (as ReadLine sees it).
        long pos = end;
        int newlines = 0;
        long start = 0;
        var buf = new byte[Block];
        bool skippedFinal = false;
        while (pos > 0)
        {
            int n = (int)Math.Min(Block, pos);
            pos -= n;
            stream.Seek(pos, SeekOrigin.Begin);
            stream.ReadExactly(buf, 0, n);
            for (int i = n - 1; i >= 0; i--)
            {
                if (buf[i] != (byte)'\n')
                    continue;
                if (!skippedFinal && pos + i == end - 1)
                {
                    skippedFinal = true;
                    continue;
                }
                if (++newlines == count)
                {
                    start = pos + i + 1;
                    goto found;
                }
            }
        }
    found:
        stream.Seek(start, SeekOrigin.Begin);
        var lines = new List<string>(count);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: start == 0, leaveOpen: true);
        for (string? line; (line = reader.ReadLine()) is not null;)
            lines.Add(line);
        // A lone '\r' also ends a line for ReadLine; keep only the last count.
        return lines.Count > count ? lines.GetRange(lines.Count - count, count) : lines;
    }
}
