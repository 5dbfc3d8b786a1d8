using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Differential;

/// <summary>The engine's merged view seen through its API, as <see cref="DirectoryView"/> sees a
/// kernel mount: what tree snapshots and the differential harness read.</summary>
public sealed class UnionView : ITreeView
{
    readonly IUnionFileSystem _fs;

    public UnionView(IUnionFileSystem fs) => _fs = fs;

    public FileStat LStat(string path) => _fs.Stat(path).Stat;

    public IReadOnlyList<string> ListNames(string dir) => _fs.ReadDir(dir).Select(e => e.Name).ToList();

    public byte[] ReadAll(string path)
    {
        using var s = _fs.OpenRead(path);
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    public string ReadLink(string path) => _fs.ReadLink(path);

    public string Resolve(string path) => _fs.ResolvePath(path);

    public IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs(string path)
    {
        var list = new List<KeyValuePair<string, byte[]>>();
        foreach (var name in _fs.ListXattrs(path))
        {
            // A listed name whose value reads as absent is shown as such, not dropped:
            // the kernel side would show its (maybe empty) value.
            var v = _fs.GetXattr(path, name);
            list.Add(v is null ? new(name + "(listed, but GetXattr says absent)", Array.Empty<byte>()) : new(name, v));
        }
        return list;
    }
}
