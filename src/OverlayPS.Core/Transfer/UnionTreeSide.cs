using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Core.Transfer;

/// <summary>A union as a copy end: every call goes through the engine (copy-up, whiteouts).</summary>
public sealed class UnionTreeSide : ITreeSide
{
    readonly IUnionFileSystem _fs;

    public UnionTreeSide(IUnionFileSystem fs) => _fs = fs;

    public FileStat? Lookup(string path) => _fs.Lookup(path)?.Stat;
    public FileStat? LookupFollowing(string path)
    {
        try { return _fs.Lookup(_fs.ResolvePath(path))?.Stat; }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR) { return null; }
    }

    public IEnumerable<string> ListNames(string directory) => _fs.ReadDir(directory).Select(e => e.Name);
    public Stream OpenRead(string path) => _fs.OpenRead(path);
    public Stream Create(string path, uint mode) => _fs.OpenWrite(path, FileMode.Create, mode);
    public void Mkdir(string path, uint mode) => _fs.Mkdir(path, mode);
    public void Symlink(string target, string path) => _fs.Symlink(target, path);
    public void MkFifo(string path, uint mode) => _fs.MkFifo(path, mode);
    public void Unlink(string path) => _fs.Unlink(path);
    public string ReadLink(string path) => _fs.ReadLink(path);
    public void Chmod(string path, uint mode) => _fs.Chmod(path, mode);
    public void Chown(string path, uint uid, uint gid) => _fs.Chown(path, uid, gid);
    public void SetTimes(string path, PosixTime atime, PosixTime mtime) => _fs.SetTimes(path, atime, mtime);
    public string WrittenPath(string path) =>
        _fs.Lookup(path) is { Kind: FileKind.Symlink } ? _fs.ResolvePath(path) : path;
    public string Combine(string directory, string name) => UnionPath.Join(directory, name);
}
