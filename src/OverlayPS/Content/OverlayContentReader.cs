using System.Collections;
using System.Management.Automation.Provider;
using System.Text;

namespace OverlayPS.Content;

/// <summary>
/// Get-Content on an Overlay drive: lines (split at \n, \r\n or \r, line ends dropped), a
/// delimiter's pieces, the raw text, or bytes; read as the cmdlet asks (ReadCount), never the
/// whole file unless -Raw.
/// </summary>
public sealed class OverlayContentReader : IContentReader
{
    readonly Stream _stream;
    readonly StreamReader? _text;
    readonly ContentReaderParameters _p;
    bool _rawDone;

    public OverlayContentReader(Stream stream, ContentReaderParameters? parameters)
    {
        _stream = stream;
        _p = parameters ?? new ContentReaderParameters();
        if (!_p.AsByteStream)
            _text = new StreamReader(stream, _p.Encoding, detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>One block of items, as object[] like the FileSystem provider's reader: a
    /// List&lt;object&gt; block written by -ReadCount 0/N broke array handling downstream
    /// (`$x = Get-Content ... -ReadCount 0 2>&1; @($x)` threw "Argument types do not match").</summary>
    public IList Read(long readCount) => ReadBlock(readCount).ToArray();

    List<object> ReadBlock(long readCount)
    {
        var result = new List<object>();
        if (_p.Raw)
        {
            if (_rawDone)
                return result;
            _rawDone = true;
            if (_p.AsByteStream)
            {
                using var ms = new MemoryStream();
                _stream.CopyTo(ms);
                if (ms.Length > 0)
                    result.Add(ms.ToArray());
            }
            else
            {
                var all = _text!.ReadToEnd();
                if (all.Length > 0)
                    result.Add(all);
            }
            return result;
        }
        long want = readCount <= 0 ? long.MaxValue : readCount;
        while (result.Count < want)
        {
            object? next = _p.AsByteStream ? ReadByte()
                : _p.Delimiter == "\n" ? _text!.ReadLine()
                : ReadToDelimiter();
            if (next is null)
                break;
            result.Add(next);
        }
        return result;
    }

    object? ReadByte()
    {
        int b = _stream.ReadByte();
        return b < 0 ? null : (byte)b;
    }

    readonly StringBuilder _piece = new();

    /// <summary>The text up to the next delimiter (dropped); the rest at the end; null when
    /// nothing is left.</summary>
    string? ReadToDelimiter()
    {
        var d = _p.Delimiter;
        if (d.Length == 0)
            return _text!.ReadToEnd() is { Length: > 0 } rest ? rest : null;
        _piece.Clear();
        int c;
        while ((c = _text!.Read()) >= 0)
        {
            _piece.Append((char)c);
            if (_piece.Length >= d.Length && (char)c == d[^1] && EndsWith(_piece, d))
            {
                _piece.Length -= d.Length;
                return _piece.ToString();
            }
        }
        return _piece.Length > 0 ? _piece.ToString() : null;
    }

    static bool EndsWith(StringBuilder sb, string d)
    {
        for (int i = 0; i < d.Length; i++)
            if (sb[sb.Length - d.Length + i] != d[i]) return false;
        return true;
    }

    public void Seek(long offset, SeekOrigin origin)
    {
        _stream.Seek(offset, origin);
        _text?.DiscardBufferedData();
    }

    public void Close() => Dispose();

    public void Dispose()
    {
        _text?.Dispose();
        _stream.Dispose();
    }
}
