using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    public UnionEntry? Lookup(string path) =>
        TryResolve(path, followFinal: false, out var node, out _) ? node.ToEntry() : null;

    /// <summary>As <see cref="Lookup(string)"/>, with why there is no entry (ENOENT, ENOTDIR,
    /// ELOOP, ENAMETOOLONG) when there is none.</summary>
    public UnionEntry? Lookup(string path, out Errno errno) =>
        TryResolve(path, followFinal: false, out var node, out errno) ? node.ToEntry() : null;

    public UnionEntry Stat(string path) => Resolve(path, followFinal: false, "stat").ToEntry();

    /// <summary>Opens the file's topmost copy for reading; a final symlink is followed inside
    /// the union (as open(2) on the mount would).</summary>
    public Stream OpenRead(string path)
    {
        var node = Resolve(path, followFinal: true, "open");
        if (node.IsDirectory)
            throw Error(Errno.EISDIR, path, "open");
        var data = node.DataLocation;
        var handle = data.Dir.OpenFile(data.Name, OpenFlags.O_RDONLY);
        return OpenFiles.ToStream(handle, FileAccess.Read);
    }

    public string ReadLink(string path)
    {
        var node = Resolve(path, followFinal: false, "readlink");
        if (!node.Stat.IsSymlink)
            throw Error(Errno.EINVAL, path, "readlink");
        return node.Container!.ReadLink(node.Name);
    }

    /// <summary>The names the mount would list. The overlay's own <c>overlay.*</c> xattrs (of
    /// this stack's prefix) are private and hidden (ovl_listxattr); escaped ones,
    /// <c>overlay.overlay.*</c>, show unescaped (kernel 6.7+ xattr escaping).</summary>
    public IReadOnlyList<string> ListXattrs(string path)
    {
        var node = Resolve(path, followFinal: false, "listxattr");
        var at = node.Location;
        var names = at.Dir.ListXattrs(at.Name);
        var visible = new List<string>(names.Length);
        foreach (var n in names)
        {
            if (n.StartsWith(_escapedPrefix, StringComparison.Ordinal))
                visible.Add(_privatePrefix + n.Substring(_escapedPrefix.Length));
            else if (!IsPrivateXattr(n))
                visible.Add(n);
        }
        return visible;
    }

    /// <summary>The value, or null when absent.</summary>
    public byte[]? GetXattr(string path, string name)
    {
        var node = Resolve(path, followFinal: false, "getxattr");
        var at = node.Location;
        return at.Dir.GetXattr(at.Name, EscapeXattr(name));
    }

    public string ResolvePath(string path) => Resolve(path, followFinal: true, "realpath").Path;

    /// <summary>An overlay-private xattr of this stack (never copied up, never shown); the
    /// escaped form is not private: it is how a user's <c>overlay.*</c> xattr is stored.</summary>
    bool IsPrivateXattr(string name) =>
        name.StartsWith(_privatePrefix, StringComparison.Ordinal) && !name.StartsWith(_escapedPrefix, StringComparison.Ordinal);

    /// <summary>The name stored in a layer for a name seen through the overlay: an
    /// <c>overlay.*</c> name set by a user is stored escaped as <c>overlay.overlay.*</c>.</summary>
    string EscapeXattr(string name) =>
        name.StartsWith(_privatePrefix, StringComparison.Ordinal) ? _privatePrefix + "overlay." + name.Substring(_privatePrefix.Length) : name;
}
