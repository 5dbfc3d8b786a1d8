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
                    node = Again(node);
            }
            node = Again(node);
            parent = node.Parent!;
            if (!IsEmptyInUnion(node))
                throw Error(Errno.ENOTEMPTY, node.Path, "rmtree");  // filled meanwhile
        }
        RemoveNode(parent, node);
    }

    /// <summary>A node looked up again from the root, name by name along its parents: never
    /// by its path string, which may be longer than a system call takes (rm -rf of a tree
    /// deeper than PATH_MAX works on a mount too, walking by descriptors).</summary>
    UnionNode Again(UnionNode node) =>
        node.Parent is null ? Root() : LookupChild(Again(node.Parent), node.Name) ?? throw Error(Errno.ENOENT, node.Path, "rmtree");

    void RemoveNode(UnionNode parent, UnionNode node)
    {
        bool lowerPositive = LowerPositive(parent, node.Name, node);
        if (node.Layer.IsUpper)
        {
            var dir = node.Container!;
            if (lowerPositive)
            {
                // ovl_remove_and_whiteout: a whiteout made aside, swapped in, the old object
                // then removed from the work dir.
                var work = _work!.Dir;
                string temp = _work.NewTempName();
                work.MakeWhiteout(temp);
                if (node.IsDirectory)
                {
                    DirHandle.Rename(work, temp, dir, node.Name, DirHandle.RenameExchange);
                    RemoveEmptiedDir(work, temp, dir, node.Name);
                }
                else
                    DirHandle.Rename(work, temp, dir, node.Name);
            }
            else if (node.IsDirectory)
                dir.Rmdir(node.Name);   // ovl_remove_upper: a plain rmdir (ENOTEMPTY on a leftover whiteout)
            else
                dir.Unlink(node.Name);
            return;
        }
        // Only in lower layers: hide it with a whiteout in (a copied-up) upper parent.
        var upperDir = CopyUpDir(parent);
        var workDir = _work!.Dir;
        string wh = _work.NewTempName();
        workDir.MakeWhiteout(wh);   // made in the work dir: owned by us, not by a setgid parent's group
        DirHandle.Rename(workDir, wh, upperDir, node.Name);
    }

    /// <summary>
    /// The upper copy of a directory that was empty in the union, just swapped out into the
    /// work dir: its whiteouts go, then an rmdir, never a recursive delete. Something else
    /// found there (a writer put it in after the emptiness check) means it was not empty after
    /// all: the directory is swapped back in place of the whiteout and the call fails with
    /// ENOTEMPTY, as rmdir(2) on the mount would have for that writer's file.
    /// </summary>
    void RemoveEmptiedDir(DirHandle work, string temp, DirHandle parent, string name)
    {
        if (ClearWhiteouts(work, temp) && TryRmdir(work, temp))
            return;
        DirHandle.Rename(work, temp, parent, name, DirHandle.RenameExchange);
        work.Unlink(temp);
        throw Error(Errno.ENOTEMPTY, parent.Describe(name), "rmdir");
    }

    /// <summary>Removes the whiteouts in a directory; false when it holds anything else.</summary>
    static bool ClearWhiteouts(DirHandle parent, string name)
    {
        using var dir = parent.OpenDir(name);
        var whiteouts = new List<string>();
        using (var r = dir.Read())
        {
            while (r.Next(out var n, out _))
            {
                if (!r.TryStatEntry(n, out var st))
                    continue;
                if (!st.IsCharDevice00)
                    return false;
                whiteouts.Add(n);
            }
        }
        foreach (var n in whiteouts)
            dir.Unlink(n);
        return true;
    }

    static bool TryRmdir(DirHandle parent, string name)
    {
        try { parent.Rmdir(name); return true; }
        catch (PosixException e) when (e.Errno is Errno.ENOTEMPTY or Errno.EEXIST) { return false; }
    }

    /// <summary>Empty as the mount would list it: whiteouts and hidden names do not count.</summary>
    bool IsEmptyInUnion(UnionNode dir)
    {
        using var e = ReadMerged(dir, forEmptiness: true).GetEnumerator();
        return !e.MoveNext();
    }
}
