using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// Looks one name up below a resolved directory, the way ovl_lookup walks the parent's
    /// layers (fs/overlayfs/namei.c): top-down; a whiteout stops with nothing; a non-directory
    /// is the answer and hides everything below; directories collect until an opaque one; a
    /// non-directory below a directory is ignored. Costs one statx on a held directory per layer
    /// the parent is in (a failed one where the name is absent); each directory found is opened
    /// (O_NOFOLLOW) and its marks read through that descriptor.
    /// Stacks written with redirect_dir and metacopy (see LayerProbe): a directory's
    /// <c>overlay.redirect</c> sends the lookup in the layers below to another name (relative)
    /// or another path from their roots (absolute); a regular file marked
    /// <c>overlay.metacopy</c> takes its metadata from here and its data from the first plain
    /// regular file found below, as the kernel follows them.
    /// </summary>
    /// <param name="startHit">First parent layer to look in (a merged readdir already knows the
    /// layers above hold nothing).</param>
    /// <param name="knownTop">lstat of the name in layer <paramref name="startHit"/>, when the
    /// caller has it.</param>
    internal UnionNode? LookupChild(UnionNode parent, string name, int startHit = 0, FileStat? knownTop = null)
    {
        var hits = parent.Dirs ?? throw Error(Errno.ENOTDIR, parent.Path, "lookup");
        List<DirHit>? dirs = null;
        FileStat top = default;
        bool topOpaque = false;
        bool oci = _options.OciWhiteouts;
        string childPath = parent.ChildPath(name);
        int swaps = 0;      // a name changed kind between stat and open: looked at again, a few times
        UnionNode? meta = null;     // a metacopy file found above: its data comes from below
        var probe = new LayerProbe(this, hits, startHit, name);

        while (probe.Next(out var dir, out var layer, out var leaf, out bool lastLayer))
        {
            FileStat st;
            if (probe.IsFirst && knownTop is { } known)
                st = known;
            else if (!dir.TryStat(leaf, out st))
            {
                if (oci && !layer.IsUpper && dir.TryStat(LayerMarks.OciPrefix + leaf, out _))
                    break;
                continue;
            }

        Examine:
            if (oci && !layer.IsUpper && LayerMarks.IsOciMarker(leaf))
                continue;   // a marker, not a file: invisible
            if (st.IsCharDevice00)
                break;      // ovl_is_whiteout
            if (layer.HasXWhiteouts && LayerMarks.IsXattrWhiteout(st, dir, leaf, _whiteoutXattr))
                break;

            if (meta is not null)
            {
                // Below a metacopy file only a regular file can hold its data (ovl_lookup_single).
                if (!st.IsRegular)
                    break;
                if (IsMetacopy(dir, leaf))
                {
                    if (!lastLayer)
                        probe.Redirect(RedirectOf(dir, leaf), layer);
                    continue;       // an intermediate metacopy: its data is further down
                }
                return meta.WithData(new LayerEntry(dir, leaf));
            }

            if (st.IsDirectory)
            {
                // Held from here on: what lies below is reached through this descriptor. A
                // name swapped for something else since the stat is not a directory now:
                // looked at again, as the kernel would see it at this moment.
                if (!dir.TryOpenDir(leaf, out var sub, out var openErrno))
                {
                    if (openErrno is Errno.ENOENT)
                        continue;
                    if (openErrno is Errno.ELOOP or Errno.ENOTDIR && ++swaps < 3 && dir.TryStat(leaf, out st))
                        goto Examine;
                    throw Error(openErrno, childPath, "lookup");
                }
                st = sub.StatSelf();
                bool last = probe.IsLastOfParent;
                bool opaque = false, xwhiteouts = false;
                // The mark is read on every directory found: "y" matters only with layers
                // below, but "x" tells the kernel the layer holds xattr whiteouts even in its
                // last position (checked against the kernel: a file marked overlay.whiteout in an
                // opaque=x dir of the bottom layer fails lookup with ENOENT).
                var v = LayerMarks.Mark(sub, "", _opaqueXattr);
                if (v is { Length: 1 })
                {
                    opaque = !last && v[0] == (byte)'y';
                    xwhiteouts = v[0] == (byte)'x';
                }
                if (xwhiteouts)
                    layer.HasXWhiteouts = true;
                // The directory itself is read as an xattr-whiteout dir (filtered by readdir)
                // only where ovl_lookup_single reads the mark: not when d.last. With redirects
                // followed (the trusted default, redirect_dir=off still follows) d.last means
                // the stack's bottom layer; with userxattr (no redirect following) it means the
                // parent's last layer. Checked on 6.18 in both modes (harness D11, seeds 17, 27, 40).
                bool markLast = _userXattr ? last : layer == _layers[^1];
                xwhiteouts &= !markLast;
                if (!opaque && !last && oci && !layer.IsUpper && sub.TryStat(LayerMarks.OciOpaque, out _))
                    opaque = true;
                if (dirs is null)
                {
                    dirs = new List<DirHit>(2);
                    top = st;
                    topOpaque = opaque;
                }
                dirs.Add(new DirHit(layer, sub, xwhiteouts));
                if (opaque)
                    break;
                if (!lastLayer && FollowsRedirects)
                    probe.Redirect(LayerMarks.Mark(sub, "", _redirectXattr), layer);
                continue;
            }

            if (dirs is not null)
                break;      // a non-directory below a directory is ignored, and ends the walk
            var node = new UnionNode(parent, childPath, name, st, layer, dir, null, opaque: false);
            // ovl_lookup_single reads the metacopy mark of every regular file it finds, in the
            // bottom layer too (which then has no data below it: EIO).
            if (!st.IsRegular || !IsMetacopy(dir, leaf))
                return node;
            // ovl_check_follow_redirect: without metacopy=on the kernel refuses to follow one.
            if (!_options.MetaCopy)
                throw Error(Errno.EPERM, childPath, "lookup");
            if (lastLayer)
                throw Error(Errno.EIO, childPath, "lookup");    // "metacopy with no lower data found"
            meta = node;
            if (FollowsRedirects)
                probe.Redirect(RedirectOf(dir, leaf), layer);
        }

        if (meta is not null)
            throw Error(Errno.EIO, childPath, "lookup");    // "metacopy with no lower data found"
        if (dirs is null)
            return null;
        var first = dirs[0];
        return new UnionNode(parent, childPath, name, top, first.Layer, ContainerOf(hits, first.Layer), dirs.ToArray(), topOpaque);
    }

    /// <summary>The directory holding a child found in <paramref name="layer"/>: that layer's copy of
    /// the parent when it has one (always, unless the child was reached by a redirect).</summary>
    static DirHandle ContainerOf(DirHit[] hits, UnionLayer layer)
    {
        foreach (var h in hits)
        {
            if (h.Layer == layer)
                return h.Dir;
        }
        throw new InvalidOperationException("The topmost copy of a child is in one of its parent's layers.");
    }

    bool IsMetacopy(DirHandle dir, string name) => LayerMarks.Mark(dir, name, _metacopyXattr) is not null;

    byte[]? RedirectOf(DirHandle dir, string name) => LayerMarks.Mark(dir, name, _redirectXattr);

    /// <summary>Redirects are followed as the kernel does by default (redirect_always_follow),
    /// except in the userxattr mode, which never follows them.</summary>
    bool FollowsRedirects => !_userXattr;
}
