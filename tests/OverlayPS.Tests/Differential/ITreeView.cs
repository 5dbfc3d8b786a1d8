using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// Read access to a tree by "/"-rooted path: a real directory through syscalls (a kernel
/// mount or an upper dir), or the engine. Failures are <see cref="PosixException"/>.
/// The snapshot and the read ops are written once against this, so both sides are looked at
/// the same way.
/// </summary>
public interface ITreeView
{
    FileStat LStat(string path);
    IReadOnlyList<string> ListNames(string dir);
    byte[] ReadAll(string path);
    string ReadLink(string path);
    IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs(string path);
    /// <summary>The union path with every link followed (final one too).</summary>
    string Resolve(string path);
}

/// <summary>A real directory (a kernel overlay mount, or a layer dir) seen through syscalls.</summary>
public sealed class DirectoryView : ITreeView
{
    readonly string _root;

    public DirectoryView(string root) => _root = root.TrimEnd('/');

    string Real(string path) => path == "/" ? _root : _root + path;

    public FileStat LStat(string path) => Files.LStat(Real(path));
    public IReadOnlyList<string> ListNames(string dir) => KernelCalls.ReadDirNames(Real(dir));
    public byte[] ReadAll(string path) => KernelCalls.ReadAll(Real(path));
    public string ReadLink(string path) => Files.ReadLink(Real(path));

    public string Resolve(string path)
    {
        var real = RealPath.Resolve(Real(path));
        if (real == _root)
            return "/";
        return real.StartsWith(_root + "/", StringComparison.Ordinal) ? real[_root.Length..] : "(outside) " + real;
    }

    public IReadOnlyList<KeyValuePair<string, byte[]>> Xattrs(string path)
    {
        var real = Real(path);
        var list = new List<KeyValuePair<string, byte[]>>();
        foreach (var name in Core.Posix.Xattrs.List(real))
        {
            var v = KernelCalls.GetXattr(real, name);
            if (v is not null)
                list.Add(new(name, v));
        }
        return list;
    }
}
