using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// Looks one name up below a resolved directory, the way ovl_lookup walks the parent's
    /// layers (fs/overlayfs/namei.c): top-down; a whiteout stops with nothing; a non-directory
    /// is the answer and hides everything below; directories collect until an opaque one; a
    /// non-directory below a directory is ignored. Costs one lstat per layer the parent is in
    /// (a failed one where the name is absent), plus a getxattr on each directory found (its
    /// opaque mark).
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

        for (int i = startHit; i < hits.Length; i++)
        {
            var h = hits[i];
            var layer = h.Layer;
            string real = h.RealPath + "/" + name;
            FileStat st;
            if (i == startHit && knownTop is { } known)
                st = known;
            else if (!Files.TryLStat(real, out st))
            {
                if (oci && !layer.IsUpper && Files.TryLStat(h.RealPath + "/" + Whiteouts.OciPrefix + name, out _))
                    break;
                continue;
            }

            if (oci && !layer.IsUpper && Whiteouts.IsOciMarker(name))
                continue;   // a marker, not a file: invisible
            if (st.IsCharDevice00)
                break;      // ovl_is_whiteout
            if (layer.HasXWhiteouts && Whiteouts.IsXattrWhiteout(st, real, _whiteoutXattr))
                break;

            if (st.IsDirectory)
            {
                bool last = i == hits.Length - 1;
                bool opaque = false, xwhiteouts = false;
                // The mark is read on every directory found: "y" matters only with layers
                // below, but "x" tells the kernel the layer holds xattr whiteouts even in its
                // last position (checked against the kernel: a file marked overlay.whiteout in an
                // opaque=x dir of the bottom layer fails lookup with ENOENT).
                var v = Whiteouts.Mark(real, _opaqueXattr);
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
                if (!opaque && !last && oci && !layer.IsUpper && Files.TryLStat(real + "/" + Whiteouts.OciOpaque, out _))
                    opaque = true;
                if (dirs is null)
                {
                    dirs = new List<DirHit>(2);
                    top = st;
                    topOpaque = opaque;
                }
                dirs.Add(new DirHit(layer, real, xwhiteouts));
                if (opaque)
                    break;
                continue;
            }

            if (dirs is not null)
                break;      // a non-directory below a directory is ignored, and ends the walk
            return new UnionNode(parent, childPath, name, st, layer, real, null, opaque: false);
        }

        if (dirs is null)
            return null;
        var first = dirs[0];
        return new UnionNode(parent, childPath, name, top, first.Layer, first.RealPath, dirs.ToArray(), topOpaque);
    }
}
