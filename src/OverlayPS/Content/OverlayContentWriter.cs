using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Provider;

namespace OverlayPS.Content;

/// <summary>
/// Set-Content / Add-Content on an Overlay drive: each value as text followed by "\n" (or
/// nothing with -NoNewline), or bytes with -AsByteStream. The stream comes from the engine, so
/// the first write to a lower file has already copied it up.
/// </summary>
public sealed class OverlayContentWriter : IContentWriter
{
    readonly Stream _stream;
    StreamWriter? _text;
    readonly ContentWriterParameters _p;

    public OverlayContentWriter(Stream stream, ContentWriterParameters? parameters)
    {
        _stream = stream;
        _p = parameters ?? new ContentWriterParameters();
    }

    /// <summary>Made at the first write, after any Seek: StreamWriter decides on writing a
    /// BOM from the position it starts at, and an appended text must not get one.</summary>
    StreamWriter Text => _text ??= new StreamWriter(_stream, _p.Encoding) { NewLine = "\n" };

    public IList Write(IList content)
    {
        foreach (var raw in content)
        {
            var item = raw is PSObject p ? p.BaseObject : raw;
            if (_p.AsByteStream)
                WriteBytes(item);
            else
            {
                Text.Write(item?.ToString() ?? "");
                if (!_p.NoNewline)
                    Text.Write('\n');
            }
        }
        return content;
    }

    void WriteBytes(object? item)
    {
        switch (item)
        {
            case byte b: _stream.WriteByte(b); break;
            case byte[] bytes: _stream.Write(bytes); break;
            case null: break;
            default: _stream.WriteByte(LanguagePrimitives.ConvertTo<byte>(item)); break;
        }
    }

    /// <summary>Add-Content seeks to the end before writing.</summary>
    public void Seek(long offset, SeekOrigin origin)
    {
        _text?.Flush();
        _stream.Seek(offset, origin);
    }

    public void Close() => Dispose();

    public void Dispose()
    {
        if (_text is not null)
            _text.Dispose();
        else
            _stream.Dispose();
    }
}
