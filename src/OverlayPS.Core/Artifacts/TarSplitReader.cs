using System.IO.Compression;
using System.Text.Json;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Artifacts;

/// <summary>The bounds a tar-split file is read within: it is store metadata, so untrusted.</summary>
public sealed record TarSplitLimits
{
    /// <summary>Longest JSON line. Go's archive/tar refuses PAX and GNU long-name records over
    /// 1 MiB, so a real segment (header records and padding, base64) stays well below this.</summary>
    public int MaxLineBytes { get; init; } = 4 * 1024 * 1024;
    /// <summary>Most uncompressed JSON in one file: a gzip bomb stops here. About 1.4 million
    /// entries of a real layer.</summary>
    public long MaxTotalBytes { get; init; } = 1L << 30;

    public static TarSplitLimits Default { get; } = new();
}

/// <summary>
/// Reads docker's <c>tar-split.json.gz</c> (vbatts/tar-split tar/storage JSONPacker: gzip, one
/// JSON object per line: <c>type</c>, <c>name</c> or <c>name_raw</c> (base64, when the name is not
/// UTF-8), <c>size</c>, <c>payload</c> (base64), <c>position</c>) one entry at a time, never
/// holding more than one line. Everything is checked as it is read: line length, total size,
/// entry type, sizes, CRC length, positions in order; a file that breaks a rule throws
/// <see cref="TarSplitException"/> naming the line. Names are checked by the caller
/// (<see cref="TarSplitNames"/>) before any file is opened with them.
/// </summary>
public sealed class TarSplitReader : IDisposable
{
    readonly Stream _gz;
    readonly TarSplitLimits _limits;
    byte[] _buf = new byte[64 * 1024];
    int _start, _end;
    bool _eof;
    long _line, _total, _lastPosition = -1;

    public TarSplitReader(Stream compressed, TarSplitLimits? limits = null)
    {
        _gz = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false);
        _limits = limits ?? TarSplitLimits.Default;
    }

    public void Dispose() => _gz.Dispose();

    /// <summary>The next entry; false at the end of the file.</summary>
    public bool Next(out TarSplitEntry entry)
    {
        while (true)
        {
            if (!NextLine(out var line))
            {
                entry = null!;
                return false;
            }
            if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\r', (byte)'\t') < 0)
                continue;
            entry = Parse(line);
            return true;
        }
    }

    bool NextLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int nl = Array.IndexOf(_buf, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                if (nl - _start > _limits.MaxLineBytes)
                    throw new TarSplitException(_line + 1, $"a line longer than {_limits.MaxLineBytes} bytes: tar-split never writes one.");
                line = _buf.AsSpan(_start, nl - _start);
                _start = nl + 1;
                _line++;
                return true;
            }
            if (_end - _start > _limits.MaxLineBytes)
                throw new TarSplitException(_line + 1, $"a line longer than {_limits.MaxLineBytes} bytes: tar-split never writes one.");
            if (_eof)
            {
                if (_end == _start)
                {
                    line = default;
                    return false;
                }
                line = _buf.AsSpan(_start, _end - _start);   // last line without '\n'
                _start = _end;
                _line++;
                return true;
            }
            Fill();
        }
    }

    void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buf.Length)
            Array.Resize(ref _buf, Math.Min(_buf.Length * 2, _limits.MaxLineBytes + 2));
        int n;
        try { n = _gz.Read(_buf, _end, _buf.Length - _end); }
        catch (InvalidDataException e) { throw new TarSplitException(_line + 1, "not valid gzip data.", e); }
        if (n == 0)
        {
            _eof = true;
            return;
        }
        _end += n;
        _total += n;
        if (_total > _limits.MaxTotalBytes)
            throw new TarSplitException(_line + 1, $"more than {_limits.MaxTotalBytes} bytes of JSON: larger than any layer's tar-split, not read further.");
    }

    TarSplitEntry Parse(ReadOnlySpan<byte> line)
    {
        long type = -1, size = 0, position = -1;
        string? name = null;
        byte[]? nameRaw = null, payload = null;
        try
        {
            var r = new Utf8JsonReader(line);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                throw Bad("not a JSON object.");
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var prop = r.GetString();
                r.Read();
                switch (prop)
                {
                    case "type": type = r.GetInt64(); break;
                    case "size": size = r.GetInt64(); break;
                    case "position": position = r.GetInt64(); break;
                    case "name": name = r.TokenType == JsonTokenType.Null ? null : r.GetString(); break;
                    case "name_raw": nameRaw = r.TokenType == JsonTokenType.Null ? null : r.GetBytesFromBase64(); break;
                    case "payload": payload = r.TokenType == JsonTokenType.Null ? null : r.GetBytesFromBase64(); break;
                    default: r.Skip(); break;
                }
            }
            if (r.TokenType != JsonTokenType.EndObject)
                throw Bad("not a JSON object.");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new TarSplitException(_line, "not a tar-split entry: " + e.Message, e);
        }
        if (position <= _lastPosition)
            throw Bad($"position {position} after {_lastPosition}: entries are out of order.");
        _lastPosition = position;
        switch (type)
        {
            case (long)TarSplitEntryType.Segment:
                return new TarSplitEntry(TarSplitEntryType.Segment, null, 0, payload ?? Array.Empty<byte>(), position);
            case (long)TarSplitEntryType.File:
                if (nameRaw is not null)
                    name = FileNames.Decode(nameRaw);
                if (string.IsNullOrEmpty(name))
                    throw Bad("a file entry without a name.");
                if (size < 0)
                    throw Bad($"a file entry with size {size}.");
                if (size > 0 && payload is not { Length: 8 })
                    throw Bad($"file entry '{Shown(name)}' has no 8-byte CRC-64.");
                return new TarSplitEntry(TarSplitEntryType.File, name, size, size > 0 ? payload : null, position);
            default:
                throw Bad($"entry type {type}: tar-split writes only 1 (file) and 2 (segment).");
        }
    }

    TarSplitException Bad(string message) => new(_line, message);

    internal static string Shown(string name) => name.Length > 120 ? name[..120] + "..." : name;
}
