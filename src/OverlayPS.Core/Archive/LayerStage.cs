using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>
/// Writes the entries of one layer tar into a fresh, empty staging directory, refusing every
/// tar-slip before it writes anything for that entry. Each name is split into components and
/// walked one component at a time from the held stage root (openat O_NOFOLLOW|O_DIRECTORY):
/// a symlink the layer wrote earlier is never followed (a write below it is refused by name,
/// as moby's breakoutError does), files are created O_EXCL|O_NOFOLLOW, hard links only point
/// at names this layer already wrote inside the stage. So nothing can land outside the stage,
/// whatever the tar holds. Directory modes and times are set last (deepest first), so a
/// read-only directory still takes its children and their writes do not touch its mtime.
/// Whiteouts: a 0/0 char device (or, where mknod is refused, an empty file with the
/// overlay.whiteout xattr in a directory marked overlay.opaque=x); opaque dirs: overlay.opaque=y;
/// or, with OciWhiteouts, the <c>.wh.</c> files as they are.
/// </summary>
internal sealed class LayerStage(DirHandle root, LayerImportOptions options)
{
    readonly bool _isRoot = Files.IsRoot;
    readonly bool _devices = options.DevicesAllowed ?? Files.IsRoot;
    readonly List<(string[] Path, TarEntry Entry)> _dirs = new();
    public long Entries, Whiteouts, OpaqueDirs, Bytes;

    public void Apply(TarEntry e, TarEntryReader data)
    {
        var name = FileNames.Decode(e.Name);
        var parts = Components(e.Name, name, LayerImportProblem.AbsoluteName, LayerImportProblem.ParentReference);
        if (parts.Length == 0)
            return;                                     // "./": the layer root's own entry is not applied
        RefuseOverlayXattrs(e, name);
        if (e.Type == TarType.RegularOld && e.Name[^1] == (byte)'/')
            e.Type = TarType.Directory;                 // pre-POSIX tars mark directories so (as Go's reader reads them)
        using var parent = OpenParent(parts, name, create: true);
        var leaf = parts[^1];
        Entries++;
        if (!options.OciWhiteouts && Union.LayerMarks.IsOciMarker(leaf))
        {
            ApplyWhiteout(parent, parts, leaf, name, e.MTime);
            return;
        }
        switch (e.Type)
        {
            case TarType.Directory:
                if (!(parent.TryStat(leaf, out var st) && st.IsDirectory))
                {
                    Replace(parent, leaf);
                    parent.Mkdir(leaf, 0x1C0);          // 0700 until its own mode is set at the end
                }
                _dirs.Add((parts, e));
                return;
            case TarType.Regular or TarType.RegularOld or TarType.Contiguous:
                Replace(parent, leaf);
                WriteFile(parent, leaf, e, data);
                break;
            case TarType.Symlink:
                Replace(parent, leaf);
                parent.Symlink(FileNames.Decode(e.LinkName), leaf);
                break;
            case TarType.HardLink:
                LinkTo(parent, leaf, e, name);
                return;                                 // a link shares its target's metadata
            case TarType.CharDevice or TarType.BlockDevice:
                if (!_devices)
                    throw new LayerImportException(LayerImportProblem.DeviceNeedsRoot, name,
                        $"'{name}' is a device node; only root can create one.");
                Replace(parent, leaf);
                parent.MkNod(leaf, e.Type == TarType.CharDevice ? FileKind.CharDevice : FileKind.BlockDevice,
                    (uint)e.Mode & 0xFFF, AtCalls.MakeDev((uint)e.DevMajor, (uint)e.DevMinor));
                break;
            case TarType.Fifo:
                Replace(parent, leaf);
                parent.MkNod(leaf, FileKind.Fifo, (uint)e.Mode & 0xFFF);
                break;
            default:
                throw new LayerImportException(LayerImportProblem.UnsupportedEntry, name,
                    $"'{name}' has tar type '{(char)e.Type}', which a layer import does not write.");
        }
        SetMetadata(parent, leaf, e, isSymlink: e.Type == TarType.Symlink);
    }

    /// <summary>Modes, owners and times of the directories, deepest (latest) first.</summary>
    public void Finish()
    {
        for (int i = _dirs.Count - 1; i >= 0; i--)
        {
            var (parts, e) = _dirs[i];
            using var parent = OpenParent(parts, FileNames.Decode(e.Name), create: false);
            if (parent.TryStat(parts[^1], out var st) && st.IsDirectory)
                SetMetadata(parent, parts[^1], e, isSymlink: false);
        }
    }

    /// <summary>Splits an entry name into components: "." and empty ones dropped, an absolute
    /// name, a ".." anywhere or a NUL refused (moby's Unpack refuses the same, as breakouts).</summary>
    static string[] Components(byte[] raw, string name, LayerImportProblem absolute, LayerImportProblem parent)
    {
        if (Array.IndexOf(raw, (byte)0) >= 0)
            throw new LayerImportException(LayerImportProblem.NulInName, name, $"The entry name '{name.Replace("\0", "\\0")}' holds a NUL byte.");
        if (raw.Length > 0 && raw[0] == (byte)'/')
            throw new LayerImportException(absolute, name, $"The entry name '{name}' is absolute.");
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains(".."))
            throw new LayerImportException(parent, name, $"The entry name '{name}' climbs out with '..'.");
        return parts;
    }

    /// <summary>The directory holding the last component, walked one component at a time,
    /// never through a symlink; missing directories are made (0755, as moby's Unpack does).</summary>
    DirHandle OpenParent(string[] parts, string name, bool create)
    {
        var cur = root.OpenBeneath(".");
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!cur.TryOpenDir(parts[i], out var next, out var errno))
            {
                if (errno == Errno.ENOENT && create)
                {
                    cur.Mkdir(parts[i], 0x1ED);
                    next = cur.OpenDir(parts[i]);
                }
                else
                {
                    bool link = cur.TryStat(parts[i], out var st) && st.IsSymlink;
                    cur.Dispose();
                    throw link
                        ? new LayerImportException(LayerImportProblem.ThroughSymlink, name,
                            $"'{name}' would be written through the symlink '{string.Join('/', parts[..(i + 1)])}' the layer made.")
                        : new LayerImportException(LayerImportProblem.ThroughNonDirectory, name,
                            $"'{name}' lies below '{string.Join('/', parts[..(i + 1)])}', which is not a directory.");
                }
            }
            cur.Dispose();
            cur = next;
        }
        return cur;
    }

    void ApplyWhiteout(DirHandle parent, string[] parts, string leaf, string name, long mtime)
    {
        if (leaf == Union.LayerMarks.OciOpaque)
        {
            if (parts.Length == 1)
                throw new LayerImportException(LayerImportProblem.BadWhiteout, name, "An opaque mark on the layer's root hides nothing a layer can hide.");
            parent.SetXattr("", options.XattrPrefix + "overlay.opaque", "y");
            OpaqueDirs++;
            return;
        }
        var hidden = leaf[4..];
        if (hidden.Length == 0 || hidden is "." or ".." || hidden.StartsWith(".wh.", StringComparison.Ordinal))
            throw new LayerImportException(LayerImportProblem.BadWhiteout, name, $"'{name}' is a whiteout of no valid name.");
        Replace(parent, hidden);
        try { parent.MakeWhiteout(hidden); }
        catch (PosixException ex) when (ex.Errno == Errno.EPERM)
        {
            // No mknod here (unprivileged): the xattr form the kernel reads since 6.7.
            using (LayerFiles.CreateNew(parent, hidden, 0)) { }
            parent.SetXattr(hidden, options.XattrPrefix + "overlay.whiteout", "y");
            var opaque = parent.GetXattr("", options.XattrPrefix + "overlay.opaque");
            if (opaque is null)
                parent.SetXattr("", options.XattrPrefix + "overlay.opaque", "x");
        }
        // The .wh. entry's mtime (docker leaves the kernel's own): an export of this layer
        // is then the same bytes whenever it runs.
        LayerFiles.SetMTime(parent, hidden, mtime);
        Whiteouts++;
    }

    void LinkTo(DirHandle parent, string leaf, TarEntry e, string name)
    {
        var targetName = FileNames.Decode(e.LinkName);
        string[] target;
        try { target = Components(e.LinkName, targetName, LayerImportProblem.LinkOutsideLayer, LayerImportProblem.LinkOutsideLayer); }
        catch (LayerImportException ex) when (ex.Problem is LayerImportProblem.LinkOutsideLayer)
        {
            throw new LayerImportException(LayerImportProblem.LinkOutsideLayer, name, $"The hard link '{name}' points outside the layer ('{targetName}').");
        }
        DirHandle? dir = null;
        try
        {
            if (target.Length > 0)
                dir = OpenParent(target, targetName, create: false);
        }
        catch (LayerImportException) { dir = null; }
        catch (PosixException) { dir = null; }
        using (dir)
        {
            if (dir is null || !dir.TryStat(target[^1], out var st) || st.IsDirectory)
                throw new LayerImportException(LayerImportProblem.LinkTargetMissing, name,
                    $"The hard link '{name}' points at '{targetName}', which the layer has not written before it (or is a directory).");
            if (dir.Describe(target[^1]) == parent.Describe(leaf))
                return;                                 // a link to itself: nothing to do
            Replace(parent, leaf);
            dir.Link(target[^1], parent, leaf);
        }
    }

    void WriteFile(DirHandle parent, string leaf, TarEntry e, TarEntryReader data)
    {
        using var f = LayerFiles.CreateNew(parent, leaf, 0x180);
        var buf = new byte[1 << 16];
        int n;
        while ((n = data.ReadData(buf)) > 0)
        {
            if (options.Stopping?.Invoke() == true)
                throw new OperationCanceledException();
            f.Write(buf, 0, n);
            Bytes += n;
        }
    }

    void SetMetadata(DirHandle parent, string leaf, TarEntry e, bool isSymlink)
    {
        if (_isRoot)
            parent.Chown(leaf, (uint)e.Uid, (uint)e.Gid);
        if (!isSymlink)
            parent.Chmod(leaf, (uint)e.Mode & 0xFFF);   // after chown, which clears setuid bits
        foreach (var (attr, value) in e.Xattrs)
        {
            if (attr != "security.capability" && !attr.StartsWith("user.", StringComparison.Ordinal))
                continue;                               // trusted.* and other namespaces are not the layer's to set
            try { parent.SetXattr(leaf, attr, value); }
            catch (PosixException ex) when (ex.Errno is Errno.EPERM or Errno.EOPNOTSUPP) { }
        }
        LayerFiles.SetMTime(parent, leaf, e.MTime);
    }

    /// <summary>A name about to be written: whatever the layer put there before goes (moby's
    /// Unpack removes and replaces, except a directory over a directory, which merges).</summary>
    static void Replace(DirHandle parent, string leaf)
    {
        if (parent.TryStat(leaf, out _))
            Union.WorkDir.RemoveTree(parent, leaf);
    }

    /// <summary>overlay.* xattrs steer the kernel's lookup (redirects, metacopy, opaque): a
    /// layer tar may not carry them; its whiteouts and opaque dirs come as .wh. names.</summary>
    static void RefuseOverlayXattrs(TarEntry e, string name)
    {
        foreach (var attr in e.Xattrs.Keys)
        {
            if (attr.StartsWith("trusted.overlay.", StringComparison.Ordinal) || attr.StartsWith("user.overlay.", StringComparison.Ordinal))
                throw new LayerImportException(LayerImportProblem.OverlayXattr, name, $"'{name}' carries the overlay's own xattr '{attr}'.");
        }
    }
}
