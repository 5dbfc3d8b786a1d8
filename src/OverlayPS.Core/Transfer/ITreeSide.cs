using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Transfer;

/// <summary>
/// One end of a tree copy: a union (through <see cref="Union.IUnionFileSystem"/>) or the host
/// filesystem. The copy itself (<see cref="TreeCopy"/>) only walks and moves bytes; each side
/// decides how a call reaches its storage, so a union side gets copy-up and whiteouts from
/// the engine and never from here.
/// </summary>
public interface ITreeSide
{
    /// <summary>lstat of path, or null when nothing is there.</summary>
    FileStat? Lookup(string path);
    /// <summary>stat of what path names after following symlinks; null when nothing is
    /// there (a dangling link).</summary>
    FileStat? LookupFollowing(string path);
    IEnumerable<string> ListNames(string directory);
    Stream OpenRead(string path);
    /// <summary>Creates or truncates a regular file with this mode.</summary>
    Stream Create(string path, uint mode);
    void Mkdir(string path, uint mode);
    void Symlink(string target, string path);
    void MkFifo(string path, uint mode);
    /// <summary>Removes a non-directory (a copy that did not complete).</summary>
    void Unlink(string path);
    string ReadLink(string path);
    void Chmod(string path, uint mode);
    void Chown(string path, uint uid, uint gid);
    void SetTimes(string path, PosixTime atime, PosixTime mtime);
    /// <summary>Where a write through path went: path itself, or what its final symlinks lead
    /// to (opening for writing follows them, a dangling one creating its target).</summary>
    string WrittenPath(string path);
    /// <summary>Joins a directory path and a name the way this side spells paths.</summary>
    string Combine(string directory, string name);
}
