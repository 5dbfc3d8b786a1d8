using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Provider;
using System.Text;

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
    readonly Func<Encoding?>? _existingBom;
    Encoding? _appendEncoding;

    /// <param name="existingBom">Reads the encoding the file's BOM names, for appending.</param>
    public OverlayContentWriter(Stream stream, ContentWriterParameters? parameters, Func<Encoding?>? existingBom = null)
    {
        _stream = stream;
        _p = parameters ?? new ContentWriterParameters();
        _existingBom = existingBom;
    }

    /// <summary>Made at the first write, after any Seek: StreamWriter decides on writing a
    /// BOM from the position it starts at, and an appended text must not get one.</summary>
    StreamWriter Text => _text ??= new StreamWriter(_stream, _appendEncoding ?? _p.Encoding) { NewLine = "\n" };

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

    /// <summary>Add-Content seeks to the end before writing: text then goes on in the encoding
    /// of the file's BOM, if it has one (see <see cref="ByteOrderMark"/>).</summary>
    public void Seek(long offset, SeekOrigin origin)
    {
        _text?.Flush();
        _stream.Seek(offset, origin);
        if (origin == SeekOrigin.End && _text is null && !_p.AsByteStream && _stream.Position > 0)
            _appendEncoding = _existingBom?.Invoke();
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
