using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// The contract of the union engine, the API the provider, the Docker merged views and the
/// differential tests use. Paths are union paths ("/a/b"); ".." and symlinks met while
/// resolving stay inside the union's root. Errors are <see cref="PosixException"/> with the
/// errno the kernel's overlayfs would return for the same call (ENOENT, EEXIST, ENOTEMPTY,
/// EXDEV, EROFS, ...). Calls do not follow a final symlink unless they say so.
/// </summary>
public interface IUnionFileSystem
{
    LayerStack Stack { get; }

    // ---- reads ----------------------------------------------------------------------------
    /// <summary>The entry at path, or null when nothing is there (whited out counts as nothing).</summary>
    UnionEntry? Lookup(string path);
    /// <summary>Like Lookup, with why nothing is there (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG).</summary>
    UnionEntry? Lookup(string path, out Errno errno);
    /// <summary>Like Lookup but throws ENOENT/ENOTDIR.</summary>
    UnionEntry Stat(string path);
    /// <summary>Merged listing of a directory, streamed, names de-duplicated, whiteouts and
    /// opaque dirs honoured; no "." or "..". Order: upper entries first, then each lower's.</summary>
    IEnumerable<UnionEntry> ReadDir(string path);
    Stream OpenRead(string path);
    string ReadLink(string path);
    IReadOnlyList<string> ListXattrs(string path);
    byte[]? GetXattr(string path, string name);
    /// <summary>Whiteouts and opaque marks in each layer copy of a directory (topmost first):
    /// why names are hidden. Not part of the kernel's view; for display.</summary>
    IEnumerable<UnionMarker> ReadMarkers(string path);
    /// <summary>Resolves every symlink on the way (final one too) inside the union root.</summary>
    string ResolvePath(string path);

    // ---- writes (EROFS without an upper) ------------------------------------------------------
    /// <summary>Opens for writing, copying a lower file up first. mode applies on create.</summary>
    Stream OpenWrite(string path, FileMode fileMode, uint createMode = 0x1A4 /*0644*/);
    void Mkdir(string path, uint mode = 0x1ED /*0755*/);
    void Symlink(string target, string path);
    void MkFifo(string path, uint mode = 0x1A4);
    void Link(string existingPath, string newPath);
    void Unlink(string path);
    void Rmdir(string path);
    /// <summary>rm -rf through the union: whiteouts for lower content, removal of upper-only.</summary>
    void RemoveTree(string path);
    /// <summary>rename(2) semantics, replacing the target; EXDEV for a dir with lower content.</summary>
    void Rename(string fromPath, string toPath);
    void Truncate(string path, long length);
    void Chmod(string path, uint mode);
    void Chown(string path, uint uid, uint gid);
    void SetTimes(string path, PosixTime atime, PosixTime mtime);
    void SetXattr(string path, string name, byte[] value);
    void RemoveXattr(string path, string name);
}
