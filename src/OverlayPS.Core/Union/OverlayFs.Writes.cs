using Mono.Unix.Native;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    // Writes land in the next step; until then a stack with an upper refuses them with ENOSYS
    // and a read-only stack with EROFS, as the kernel would.
    Exception NotYet(string path, string op) =>
        Error(_upper is null ? Errno.EROFS : Errno.ENOSYS, path, op);

    void CleanWorkDir() { }

    public Stream OpenWrite(string path, FileMode fileMode, uint createMode = 0x1A4) => throw NotYet(path, "open");
    public void Mkdir(string path, uint mode = 0x1ED) => throw NotYet(path, "mkdir");
    public void Symlink(string target, string path) => throw NotYet(path, "symlink");
    public void MkFifo(string path, uint mode = 0x1A4) => throw NotYet(path, "mknod");
    public void Link(string existingPath, string newPath) => throw NotYet(newPath, "link");
    public void Unlink(string path) => throw NotYet(path, "unlink");
    public void Rmdir(string path) => throw NotYet(path, "rmdir");
    public void RemoveTree(string path) => throw NotYet(path, "rmtree");
    public void Rename(string fromPath, string toPath) => throw NotYet(fromPath, "rename");
    public void Truncate(string path, long length) => throw NotYet(path, "truncate");
    public void Chmod(string path, uint mode) => throw NotYet(path, "chmod");
    public void Chown(string path, uint uid, uint gid) => throw NotYet(path, "chown");
    public void SetTimes(string path, Timespec atime, Timespec mtime) => throw NotYet(path, "utimensat");
    public void SetXattr(string path, string name, byte[] value) => throw NotYet(path, "setxattr");
    public void RemoveXattr(string path, string name) => throw NotYet(path, "removexattr");
}
