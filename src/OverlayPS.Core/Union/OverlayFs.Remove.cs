using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// unlink(2): a name with lower content becomes a whiteout in upper (an upper copy is
    /// replaced by it in one rename); an upper-only name is simply removed (ovl_do_remove).
    /// </summary>
    public void Unlink(string path)
    {
        using var write = BeginWrite();
        var (parent, name) = ResolveParent(path, "unlink", Errno.EISDIR, Errno.EISDIR, Errno.EISDIR);
        RequireUpper(path, "unlink");
        var node = LookupChild(parent, name) ?? throw Error(Errno.ENOENT, path, "unlink");
        if (node.IsDirectory)
            throw Error(Errno.EISDIR, path, "unlink");
        RemoveNode(parent, node);
    }

    /// <summary>
    /// rmdir(2): the directory must be empty in the merged view (whiteouts do not count,
    /// ovl_check_empty_dir). Its upper copy, holding at most whiteouts, is swapped for a
    /// whiteout when lower content must stay hidden, else removed.
    /// </summary>
    public void Rmdir(string path)
    {
        using var write = BeginWrite();
        var (parent, name) = ResolveParent(path, "rmdir", Errno.EINVAL, Errno.ENOTEMPTY, Errno.EBUSY);
        RequireUpper(path, "rmdir");
        var node = LookupChild(parent, name) ?? throw Error(Errno.ENOENT, path, "rmdir");
        if (!node.IsDirectory)
            throw Error(Errno.ENOTDIR, path, "rmdir");
        if (!IsEmptyInUnion(node))
            throw Error(Errno.ENOTEMPTY, path, "rmdir");
        RemoveNode(parent, node);
    }

    /// <summary>rm -rf through the union: children first (one directory's names held at a
    /// time), then the directory itself; each removal follows the unlink/rmdir rules.</summary>
    public void RemoveTree(string path)
    {
        using var write = BeginWrite();
        var (parent, name) = ResolveParent(path, "rmtree", Errno.EINVAL, Errno.ENOTEMPTY, Errno.EBUSY);
        // rm -rf looks first (lstat: ENOENT), and only then meets the read-only mount.
        var node = LookupChild(parent, name) ?? throw Error(Errno.ENOENT, path, "rmtree");
        RequireUpper(path, "rmtree");
        RemoveTreeNode(parent, node);
    }

    void RemoveTreeNode(UnionNode parent, UnionNode node)
    {
        if (node.IsDirectory)
        {
            var names = new List<string>();
            foreach (var e in ReadMerged(node))
                names.Add(e.Name);
            foreach (var n in names)
            {
                var child = LookupChild(node, n);
                if (child is not null)
                    RemoveTreeNode(node, child);
                // The first removal below a lower directory copies it up: see it as it is now.
                if (!node.Layer.IsUpper)
                    node = Resolve(node.Path, followFinal: false, "rmtree");
            }
            var fresh = Resolve(node.Path, followFinal: false, "rmtree");
            parent = fresh.Parent!;
            node = fresh;
            if (!IsEmptyInUnion(node))
                throw Error(Errno.ENOTEMPTY, node.Path, "rmtree");  // filled meanwhile
        }
        RemoveNode(parent, node);
    }

    void RemoveNode(UnionNode parent, UnionNode node)
    {
        bool lowerPositive = LowerPositive(parent, node.Name, node);
        if (node.Layer.IsUpper)
        {
            string real = node.RealPath;
            if (lowerPositive)
            {
                // ovl_remove_and_whiteout: a whiteout made aside, swapped in, the old object
                // then removed from the work dir.
                string temp = _work!.NewTempPath();
                Files.MakeWhiteout(temp);
                if (node.IsDirectory)
                {
                    Renames.Rename(temp, real, Renames.Exchange);
                    WorkDir.RemoveHostTree(temp);
                }
                else
                    Renames.Rename(temp, real);
            }
            else if (node.IsDirectory)
                Files.Rmdir(real);      // ovl_remove_upper: a plain rmdir (ENOTEMPTY on a leftover whiteout)
            else
                Files.Unlink(real);
            return;
        }
        // Only in lower layers: hide it with a whiteout in (a copied-up) upper parent.
        string upperDir = CopyUp(parent);
        string wh = _work!.NewTempPath();
        Files.MakeWhiteout(wh);     // made in the work dir: owned by us, not by a setgid parent's group
        Renames.Rename(wh, upperDir + "/" + node.Name);
    }

    /// <summary>Empty as the mount would list it: whiteouts and hidden names do not count.</summary>
    bool IsEmptyInUnion(UnionNode dir)
    {
        using var e = ReadMerged(dir, forEmptiness: true).GetEnumerator();
        return !e.MoveNext();
    }

    static bool IsEmptyOnDisk(string dir)
    {
        using var r = DirectoryReader.Open(dir);
        return !r.Next(out _, out _);
    }
}
