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
    /// (O_NOFOLLOW) and its opaque mark read through that descriptor.
    /// </summary>
    /// <param name="startHit">First parent layer to look in (a merged readdir already knows the
    /// layers above hold nothing).</param>
    /// <param name="knownTop">lstat of the name in layer <paramref name="startHit"/>, when the
    /// caller has it.</param>
    internal UnionNode? LookupChild(UnionNode parent, string name, int startHit = 0, FileStat? knownTop = null)
    {
        var hits = parent.Dirs ?? throw Error(Mono.Unix.Native.Errno.ENOTDIR, parent.Path, "lookup");
        List<DirHit>? dirs = null;
        FileStat top = default;
        bool topOpaque = false;
        bool oci = _options.OciWhiteouts;
        string childPath = parent.ChildPath(name);
        int swaps = 0;      // a name changed kind between stat and open: looked at again, a few times

        for (int i = startHit; i < hits.Length; i++)
        {
            var h = hits[i];
            var layer = h.Layer;
            FileStat st;
            if (i == startHit && knownTop is { } known)
                st = known;
            else if (!h.Dir.TryStat(name, out st))
            {
                if (oci && !layer.IsUpper && h.Dir.TryStat(Whiteouts.OciPrefix + name, out _))
                    break;
                continue;
            }

        Examine:
            if (oci && !layer.IsUpper && Whiteouts.IsOciMarker(name))
                continue;   // a marker, not a file: invisible
            if (st.IsCharDevice00)
                break;      // ovl_is_whiteout
            if (layer.HasXWhiteouts && Whiteouts.IsXattrWhiteout(st, h.Dir, name, _whiteoutXattr))
                break;

            if (st.IsDirectory)
            {
                // Held from here on: what lies below is reached through this descriptor. A
                // name swapped for something else since the stat is not a directory now:
                // looked at again, as the kernel would see it at this moment.
                if (!h.Dir.TryOpenDir(name, out var sub, out var openErrno))
                {
                    if (openErrno is Mono.Unix.Native.Errno.ENOENT)
                        continue;
                    if (openErrno is Mono.Unix.Native.Errno.ELOOP or Mono.Unix.Native.Errno.ENOTDIR
                        && ++swaps < 3 && h.Dir.TryStat(name, out st))
                        goto Examine;
                    throw Error(openErrno, childPath, "lookup");
                }
                st = sub.StatSelf();
                bool last = i == hits.Length - 1;
                bool opaque = false, xwhiteouts = false;
                // The mark is read on every directory found: "y" matters only with layers
                // below, but "x" tells the kernel the layer holds xattr whiteouts even in its
                // last position (checked against the kernel: a file marked overlay.whiteout in an
                // opaque=x dir of the bottom layer fails lookup with ENOENT).
                var v = Whiteouts.Mark(sub, "", _opaqueXattr);
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
                if (!opaque && !last && oci && !layer.IsUpper && sub.TryStat(Whiteouts.OciOpaque, out _))
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
                continue;
            }

            if (dirs is not null)
                break;      // a non-directory below a directory is ignored, and ends the walk
            return new UnionNode(parent, childPath, name, st, layer, h.Dir, null, opaque: false);
        }

        if (dirs is null)
            return null;
        var first = dirs[0];
        return new UnionNode(parent, childPath, name, top, first.Layer, hits[FirstHitOf(hits, first.Layer)].Dir, dirs.ToArray(), topOpaque);
    }

    /// <summary>Where in a parent's layer list a layer is (its copy of the parent holds the child).</summary>
    static int FirstHitOf(DirHit[] hits, UnionLayer layer)
    {
        for (int i = 0; i < hits.Length; i++)
        {
            if (hits[i].Layer == layer)
                return i;
        }
        throw new InvalidOperationException("A child's layer is always one of its parent's.");
    }
}
