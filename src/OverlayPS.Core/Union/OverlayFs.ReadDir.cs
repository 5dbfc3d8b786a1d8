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
        // A redirected directory (redirect_dir=on) can merge with lower ones even inside a
        // directory that is not merged itself; the kernel marks such a parent impure, so only
        // there is each subdirectory looked up through the layers.
        bool impure = FollowsRedirects && LayerMarks.Mark(hit.Dir, "", _impureXattr) is not null;
        using var reader = hit.Dir.Read();
        while (reader.Next(out var name, out _))
        {
            if (hideOci && LayerMarks.IsOciMarker(name))
                continue;
            if (!reader.TryStatEntry(name, out var st))
                continue;
            if (impure && st.IsDirectory && LookupChild(dir, name, 0, st) is { IsMerged: true } merged)
            {
                yield return merged.ToEntry();
                continue;
            }
            yield return new UnionEntry(dir.ChildPath(name), name, st, hit.Layer.Ref,
                hit.Dir.Describe(name), IsMerged: false, IsOpaque: false);
        }
    }

    /// <param name="forEmptiness">For rmdir's emptiness check (ovl_check_empty_dir), which
    /// only knows char 0/0 whiteouts: an xattr whiteout counts as content there.</param>
    /// <remarks>
    /// The kernel's order (ovl_dir_read_merged): the names of the lowest layer come first, in
    /// that layer's order (a name also found higher keeps the higher entry but takes this
    /// place), then the other names in reading order, upper first. So the layers above the
    /// lowest are read into a per-directory list first and the lowest one is streamed.
    /// </remarks>
    IEnumerable<UnionEntry> ReadMerged(UnionNode dir, bool forEmptiness = false)
    {
        var hits = dir.Dirs!;
        long generation = _dirCache?.Generation ?? 0;
        bool oci = _options.OciWhiteouts;
        // Names met above the lowest layer: the visible entry, or null when hidden.
        var higher = new List<(string Name, UnionEntry? Entry)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < hits.Length - 1; i++)
        {
            foreach (var (name, entry) in ReadLayer(dir, hits, i, index, forEmptiness, oci, generation))
            {
                index[name] = higher.Count;
                higher.Add((name, entry));
            }
        }
        var placed = new bool[higher.Count];
        var last = hits.Length - 1;
        foreach (var (name, entry) in ReadLayer(dir, hits, last, index, forEmptiness, oci, generation, lowest: true))
        {
            if (index.TryGetValue(name, out int at))
            {
                placed[at] = true;
                if (higher[at].Entry is { } h)
                    yield return h;
                continue;
            }
            if (entry is not null)
                yield return entry;
        }
        for (int k = 0; k < higher.Count; k++)
        {
            if (!placed[k] && higher[k].Entry is { } h)
                yield return h;
        }
    }

    /// <summary>One layer's names not seen in the layers above (in the lowest layer, also the
    /// seen ones, with a null entry, so they can take their place), each with its entry or
    /// null when it is a whiteout or marker.</summary>
    IEnumerable<(string Name, UnionEntry? Entry)> ReadLayer(UnionNode dir, DirHit[] hits, int i,
        Dictionary<string, int> seen, bool forEmptiness, bool oci, long generation, bool lowest = false)
    {
        var h = hits[i];
        bool lower = !h.Layer.IsUpper;
        using var reader = h.Dir.Read();
        while (reader.Next(out var name, out _))
        {
            if (oci && lower && LayerMarks.IsOciMarker(name))
            {
                if (name != LayerMarks.OciOpaque && !lowest)
                {
                    var hidden = name.Substring(LayerMarks.OciPrefix.Length);
                    if (!seen.ContainsKey(hidden))
                        yield return (hidden, null);
                }
                continue;
            }
            if (seen.ContainsKey(name))
            {
                if (lowest)
                    yield return (name, null);
                continue;
            }
            if (!reader.TryStatEntry(name, out var st))
                continue;
            if (st.IsCharDevice00)
            {
                yield return (name, null);
                continue;
            }
            // Merged readdir checks xattr whiteouts only inside lower dirs that lookup saw
            // marked opaque=x (see LookupChild); rmdir's emptiness check never does.
            if (lower && !forEmptiness && h.XWhiteouts && LayerMarks.IsXattrWhiteout(st, h.Dir, name, _whiteoutXattr))
            {
                yield return (name, null);
                continue;
            }
            if (st.IsDirectory && !lowest)
            {
                // Whether it merges with directories below decides its nlink and listing.
                var child = LookupChild(dir, name, i, st);
                // A recursive walk reads this directory next: keep its layer set.
                if (child is not null)
                    _dirCache?.Add(child, generation);
                yield return (name, child?.ToEntry());
                continue;
            }
            yield return (name, new UnionEntry(dir.ChildPath(name), name, st, h.Layer.Ref, h.Dir.Describe(name),
                IsMerged: false, IsOpaque: false));
        }
    }
}
