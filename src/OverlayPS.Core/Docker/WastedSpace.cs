using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>A file an image carries but does not show.</summary>
public sealed record WastedFile(string Path, int Position, DockerLayer Layer, long Size, bool Overwritten, int By);

/// <summary>An image's bytes that later layers overwrote or deleted.</summary>
public sealed record ImageWaste(DockerImage Image, long Size, long WastedBytes, IReadOnlyList<WastedFile> Files)
{
    public string Name => Image.Name;
    public double WastedPercent => Size == 0 ? 0 : Math.Round(100.0 * WastedBytes / Size, 2);
    /// <summary>The share of the image's bytes that its final view shows, in percent (dive's
    /// "image efficiency score": 100 when no layer carries bytes a later one hides).</summary>
    public double Efficiency => Math.Round(100 - WastedPercent, 2);
}

/// <summary>
/// Wasted space (as dive reports it): bytes of files in a layer that the final image does
/// not show because a later layer overwrote the path (a new file, a copy-up for chmod/chown)
/// or deleted it (a whiteout, an opaque dir, a file over a parent dir). Sizes count each
/// inode once per layer, as layer sizes do; whiteouts and directories weigh nothing.
/// </summary>
public static class WastedSpace
{
    public static ImageWaste Measure(DockerImage image, CancellationToken cancel = default)
    {
        var layers = image.Layers.OfType<DockerLayer>().ToList();
        // A layerdb entry without its size file (damaged, or written by another tool): the
        // percentage needs the image's size, so measure those layers as docker ps -s would.
        var unsized = layers.Where(l => l.Size is null && l.Exists).ToList();
        if (unsized.Count > 0)
            LayerSizer.MeasureLayers(unsized, cancel: cancel);
        var chain = new LayerChain(layers.Select(l => l.DiffPath).ToList());
        int top = chain.Count - 1;
        var files = new List<WastedFile>();
        for (int i = 0; i < top; i++)      // the top layer is visible by definition
        {
            var seen = new HashSet<ulong>();
            foreach (var (path, st) in Walk(chain.Dirs[i], cancel))
            {
                if (st.IsDirectory || LayerMarkers.IsWhiteout(chain.RealPath(i, path), st))
                    continue;
                var shown = chain.Lookup(path, top);
                if (shown.Count > 0 && shown[0] == i)
                    continue;
                int by = FirstHider(chain, i, path, top);
                long size = seen.Add(st.Inode) ? st.Size : 0;
                files.Add(new WastedFile(path, i + 1, layers[i], size,
                    Overwritten: shown.Count > 0, by));
            }
        }
        return new ImageWaste(image, image.Size, files.Sum(f => f.Size), files);
    }

    static int FirstHider(LayerChain chain, int i, string path, int top)
    {
        for (int j = i + 1; j <= top; j++)
        {
            var l = chain.Lookup(path, j);
            if (l.Count == 0 || l[0] != i)
                return j + 1;
        }
        return top + 1;
    }

    static IEnumerable<(string Path, FileStat Stat)> Walk(string root, CancellationToken cancel)
    {
        var stack = new Stack<string>();
        stack.Push("/");
        while (stack.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            var dir = stack.Pop();
            var real = dir == "/" ? root : root + dir;
            foreach (var name in StoreFiles.Names(real).OrderBy(n => n, StringComparer.Ordinal))
            {
                var p = LayerChain.Join(dir, name);
                if (!Files.TryLStat(root + p, out var st))
                    continue;
                yield return (p, st);
                if (st.IsDirectory)
                    stack.Push(p);
            }
        }
    }
}
