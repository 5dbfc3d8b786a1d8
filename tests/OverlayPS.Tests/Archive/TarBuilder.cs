using System.IO.Compression;
using System.Text;
using OverlayPS.Core.Archive;

namespace OverlayPS.Tests.Archive;

/// <summary>Crafts tars entry by entry, hostile ones included (names the writer would never
/// make: "..", absolute, NUL in a pax path, GNU long names, wrong checksums).</summary>
public sealed class TarBuilder
{
    readonly MemoryStream _out = new();

    public TarBuilder File(string name, string content = "x", long mode = 0x1A4, Dictionary<string, byte[]>? pax = null)
    {
        var data = Encoding.UTF8.GetBytes(content);
        var h = Header(TarType.Regular, name, mode);
        h.Size = data.Length;
        if (pax is not null)
            foreach (var (k, v) in pax) h.PaxRecords[k] = v;
        Write(h, data);
        return this;
    }

    public TarBuilder Dir(string name, long mode = 0x1ED) { Write(Header(TarType.Directory, name, mode)); return this; }

    public TarBuilder Symlink(string name, string target)
    {
        var h = Header(TarType.Symlink, name, 0x1FF);
        h.LinkName = Encoding.UTF8.GetBytes(target);
        Write(h);
        return this;
    }

    public TarBuilder HardLink(string name, string target)
    {
        var h = Header(TarType.HardLink, name, 0x1A4);
        h.LinkName = Encoding.UTF8.GetBytes(target);
        Write(h);
        return this;
    }

    public TarBuilder Device(string name, int major, int minor)
    {
        var h = Header(TarType.CharDevice, name, 0x1B6);
        (h.DevMajor, h.DevMinor) = (major, minor);
        Write(h);
        return this;
    }

    public TarBuilder Typed(byte type, string name) { Write(Header(type, name, 0x1A4)); return this; }

    /// <summary>A GNU 'L' long-name header, then a regular file whose own name field is a decoy.</summary>
    public TarBuilder GnuLongNameFile(string longName, string content = "x")
    {
        var nameBytes = Encoding.UTF8.GetBytes(longName + "\0");
        var l = Header(TarType.GnuLongName, "././@LongLink", 0);
        l.Size = nameBytes.Length;
        Write(l, nameBytes);
        return File("decoy", content);
    }

    public TarBuilder Raw(byte[] bytes) { _out.Write(bytes); return this; }

    public byte[] Build(bool end = true)
    {
        var copy = new MemoryStream();
        copy.Write(_out.ToArray());
        if (end)
            copy.Write(new byte[1024]);
        return copy.ToArray();
    }

    public string WriteTo(string path, bool gzip = false)
    {
        var bytes = Build();
        if (gzip)
        {
            using var f = System.IO.File.Create(path);
            using var z = new GZipStream(f, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        else
            System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    static TarHeader Header(byte type, string name, long mode) => new()
    {
        Type = type,
        Name = Encoding.UTF8.GetBytes(name),
        Mode = mode,
        MTime = 1_600_000_000,
        WantPax = true,
    };

    void Write(TarHeader h, byte[]? data = null)
    {
        _out.Write(GoTarEncoding.Encode(h));
        if (data is { Length: > 0 })
        {
            _out.Write(data);
            _out.Write(new byte[GoTarEncoding.Padding(data.Length)]);
        }
    }
}
