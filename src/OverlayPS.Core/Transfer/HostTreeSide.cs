using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Transfer;

/// <summary>The host filesystem as a copy end (absolute host paths).</summary>
public sealed class HostTreeSide : ITreeSide
{
    public static readonly HostTreeSide Instance = new();

    public FileStat? Lookup(string path) => Files.TryLStat(path, out var st) ? st : null;

    public FileStat? LookupFollowing(string path)
    {
        try { return Files.Stat(path); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR) { return null; }
    }

    public IEnumerable<string> ListNames(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(p => System.IO.Path.GetFileName(p));

    public Stream OpenRead(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);

    public Stream Create(string path, uint mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 1 << 16,
#pragma warning disable CA1416 // Core runs on Linux only (Mono.Posix linux-x64)
            UnixCreateMode = (UnixFileMode)(mode & 0x1FF),
#pragma warning restore CA1416
        };
        return new FileStream(path, options);
    }

    public void Mkdir(string path, uint mode) => Files.Mkdir(path, mode);
    public void Symlink(string target, string path) => Files.Symlink(target, path);
    public void MkFifo(string path, uint mode) => Files.MkNod(path, FileKind.Fifo, mode);
    public void Unlink(string path) => Files.Unlink(path);
    public string ReadLink(string path) => Files.ReadLink(path);
    public void Chmod(string path, uint mode) => Files.Chmod(path, mode);
    public void Chown(string path, uint uid, uint gid) => Files.LChown(path, uid, gid);
    public void SetTimes(string path, PosixTime atime, PosixTime mtime) => Files.LUTimes(path, atime, mtime);
    public string WrittenPath(string path) =>
        File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
    public string Combine(string directory, string name) => System.IO.Path.Combine(directory, name);
}
