using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// Lists a directory as the kernel's readdir on the mount would (fs/overlayfs/readdir.c).
    /// A directory held by one layer only is "real": its entries are passed through as they
    /// are, whiteouts included (the kernel lists them too, though a lookup of one fails). A
    /// merged directory is read layer by layer, topmost first, each name kept from the first
    /// layer that has it; whiteouts hide the name and are not listed. Streamed: one layer
    /// directory open at a time, one lstat per entry (fstatat on the open directory), and a
    /// set of the names seen so far as the only state.
    /// </summary>
    public IEnumerable<UnionEntry> ReadDir(string path)
    {
        var dir = Resolve(path, followFinal: true, "opendir");
        if (!dir.IsDirectory)
            throw Error(Errno.ENOTDIR, path, "opendir");
        return dir.IsMerged ? ReadMerged(dir) : ReadReal(dir);
    }

    IEnumerable<UnionEntry> ReadReal(UnionNode dir)
    {
        var hit = dir.Dirs![0];
        bool hideOci = _options.OciWhiteouts && !hit.Layer.IsUpper;
        using var reader = DirectoryReader.Open(hit.RealPath);
        while (reader.Next(out var name, out _))
        {
            if (hideOci && Whiteouts.IsOciMarker(name))
                continue;
            if (!reader.TryStatEntry(name, out var st))
                continue;
            yield return new UnionEntry(dir.ChildPath(name), name, st, hit.Layer.Ref,
                hit.RealPath + "/" + name, IsMerged: false, IsOpaque: false);
        }
    }

    /// <param name="forEmptiness">For rmdir's emptiness check (ovl_check_empty_dir), which
    /// only knows char 0/0 whiteouts: an xattr whiteout counts as content there.</param>
    IEnumerable<UnionEntry> ReadMerged(UnionNode dir, bool forEmptiness = false)
    {
        var hits = dir.Dirs!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool oci = _options.OciWhiteouts;
        for (int i = 0; i < hits.Length; i++)
        {
            var h = hits[i];
            bool lower = !h.Layer.IsUpper;
            bool last = i == hits.Length - 1;
            using var reader = DirectoryReader.Open(h.RealPath);
            while (reader.Next(out var name, out _))
            {
                if (oci && lower && Whiteouts.IsOciMarker(name))
                {
                    if (name != Whiteouts.OciOpaque)
                        seen.Add(name.Substring(Whiteouts.OciPrefix.Length));
                    continue;
                }
                // Names met in the last layer cannot hide anything below: no need to keep them.
                if (last ? seen.Contains(name) : !seen.Add(name))
                    continue;
                if (!reader.TryStatEntry(name, out var st))
                    continue;
                if (st.IsCharDevice00)
                    continue;
                string real = h.RealPath + "/" + name;
                // Merged readdir checks xattr whiteouts only inside lower dirs marked opaque=x,
                // and not in the stack's bottom layer (checked on 6.18: there they are listed,
                // though lookup still says ENOENT); rmdir's emptiness check never does.
                if (lower && !forEmptiness && h.XWhiteouts && h.Layer != _layers[^1]
                    && Whiteouts.IsXattrWhiteout(st, real, _whiteoutXattr))
                    continue;
                if (st.IsDirectory && !last)
                {
                    // Whether it merges with directories below decides its nlink and listing.
                    var child = LookupChild(dir, name, i, st);
                    if (child is not null)
                        yield return child.ToEntry();
                    continue;
                }
                yield return new UnionEntry(dir.ChildPath(name), name, st, h.Layer.Ref, real,
                    IsMerged: false, IsOpaque: false);
            }
        }
    }
}
