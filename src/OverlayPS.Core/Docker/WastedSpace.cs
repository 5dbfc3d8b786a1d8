using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>A file an image carries but does not show: the layer holding it (Position, and its
/// overlay2 dir id) and the position of the layer that hid it.</summary>
public sealed record WastedFile(string Path, int Position, string LayerId, long Size, bool Overwritten, int By)
{
    public string? Store { get; init; }
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace of the image (null for other stores).</summary>
    public string? Namespace { get; init; }
    /// <summary>The image measured (its name).</summary>
    public string? Image { get; init; }
}

/// <summary>An image's bytes (Size, WastedBytes) that later layers overwrote or deleted. Flat:
/// the files are a method (and Measure-OverlayImage -ListFiles writes them as rows), so a list
/// of reports converts to JSON at the default depth.</summary>
public sealed record ImageWaste(string Store, string ImageId, string Name, long Size, long WastedBytes, int FileCount)
{
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace of the image (null for other stores).</summary>
    public string? Namespace { get; init; }
    internal IReadOnlyList<WastedFile> Files { get; init; } = Array.Empty<WastedFile>();
    public IReadOnlyList<WastedFile> GetFiles() => Files;
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
        var layers = new BaseFirst<DockerLayer>(image.Layers.OfType<DockerLayer>());
        // A layerdb entry without its size file (damaged, or written by another tool): the
        // percentage needs the image's size, so measure those layers as docker ps -s would.
        var unsized = layers.Where(l => l.Size is null && l.Exists).ToList();
        if (unsized.Count > 0)
            LayerSizer.MeasureLayers(unsized, cancel: cancel);
        var dirs = DockerStore.OpenDiffs(layers);
        try
        {
            using var chain = new LayerChain(dirs);
            var files = Measure(chain, layers, image, cancel);
            return new ImageWaste(image.Store, image.Id, image.Name, image.Size, files.Sum(f => f.Size), files.Count)
                { StoreKind = image.StoreKind, Namespace = image.Namespace, Files = files };
        }
        finally
        {
            foreach (var d in dirs) d?.Dispose();
        }
    }

    static List<WastedFile> Measure(LayerChain chain, BaseFirst<DockerLayer> layers, DockerImage image, CancellationToken cancel)
    {
        int top = chain.Count - 1;
        var files = new List<WastedFile>();
        for (int i = 0; i < top; i++)      // the top layer is visible by definition
        {
            if (chain.Layer(i) is not { } root)
                continue;
            var seen = new HashSet<ulong>();
            foreach (var (path, st, whiteout) in Walk(root, cancel))
            {
                if (st.IsDirectory || whiteout)
                    continue;
                var shown = chain.Lookup(path, top);
                if (shown.Count > 0 && shown[0] == i)
                    continue;
                int by = FirstHider(chain, i, path, top);
                long size = seen.Add(st.Inode) ? st.Size : 0;
                files.Add(new WastedFile(path, i + 1, layers[i].CacheId, size,
                    Overwritten: shown.Count > 0, by) { Store = image.Store, StoreKind = image.StoreKind, Namespace = image.Namespace, Image = image.Name });
            }
        }
        return files;
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

    /// <summary>Every entry under a held layer root with its lstat and whether it is a
    /// whiteout, depth first in name order; subdirs are opened one O_NOFOLLOW component at a
    /// time from their parent, so the walk never leaves the layer.</summary>
    static IEnumerable<(string Path, FileStat Stat, bool Whiteout)> Walk(DirHandle root, CancellationToken cancel)
    {
        var stack = new Stack<string>();
        stack.Push("/");
        while (stack.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            var dirPath = stack.Pop();
            DirHandle dir;
            if (dirPath == "/")
                dir = root;
            else
            {
                try { dir = root.OpenBeneath(dirPath[1..]); }
                catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP) { continue; }
            }
            var entries = new List<(string, FileStat, bool)>();
            try
            {
                var names = new List<string>();
                using (var reader = dir.Read())
                    while (reader.Next(out var name, out _))
                        names.Add(name);
                names.Sort(StringComparer.Ordinal);
                foreach (var name in names)
                    if (dir.TryStat(name, out var st))
                        entries.Add((UnionPath.Join(dirPath, name), st, !st.IsDirectory && LayerMarks.IsWhiteoutInAnyNamespace(dir, name, st)));
            }
            finally
            {
                if (!ReferenceEquals(dir, root))
                    dir.Dispose();
            }
            foreach (var e in entries)
            {
                yield return e;
                if (e.Item2.IsDirectory)
                    stack.Push(e.Item1);
            }
        }
    }
}
