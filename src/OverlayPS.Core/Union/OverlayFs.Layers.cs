using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// The layers that make up <paramref name="path"/> in the merged view, topmost first, by
    /// the same lookup every read uses: for a non-directory the one layer that supplies it,
    /// for a directory each layer copy that takes part (down to an opaque one); empty when
    /// nothing shows there. No symlink is followed, not even on the way: a path through a link
    /// names no layer's entry (what store views ask: "which layer holds this path", not "where
    /// does it lead"). Paths are union paths without "." or ".." ("/a/b").
    /// </summary>
    public IReadOnlyList<LayerRef> LayersAt(string path)
    {
        var node = Root();
        long generation = _dirCache?.Generation ?? 0;
        foreach (var c in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (c is "." or "..")
                throw new ArgumentException($"'{path}' is not a normalised union path.", nameof(path));
            if (!node.IsDirectory)
                return Array.Empty<LayerRef>();
            var child = CachedChild(node, c);
            if (child is null)
            {
                child = LookupChild(node, c);
                if (child is null)
                    return Array.Empty<LayerRef>();
                _dirCache?.Add(child, generation);
            }
            node = child;
        }
        if (!node.IsDirectory)
            return new[] { node.Layer.Ref };
        var refs = new LayerRef[node.Dirs!.Length];
        for (int i = 0; i < refs.Length; i++)
            refs[i] = node.Dirs[i].Layer.Ref;
        return refs;
    }
}
