using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>Where a size measurement has got to, for a progress bar.</summary>
public readonly record struct SizeProgress(string Layer, int LayerIndex, int LayerCount, long Files, long Bytes);

/// <summary>
/// Measures a layer's diff dir the way moby's pkg/directory.Size does (what <c>docker ps -s</c>
/// and <c>docker system df</c> show): the apparent size of every non-directory, each inode
/// counted once so hard links are not counted twice; directories count nothing.
/// </summary>
public static class LayerSizer
{
    /// <summary>Sums a held diff dir. Subdirs are queued by relative path and opened beneath
    /// the diff dir with no symlink on the way (one descriptor open at a time), so a link
    /// inside the layer is counted as a link, never followed.</summary>
    public static long Measure(DirHandle diffDir, IProgress<SizeProgress>? progress = null,
        string? layerName = null, int layerIndex = 0, int layerCount = 1, CancellationToken cancel = default)
    {
        var seen = new HashSet<ulong>();
        long bytes = 0, files = 0;
        var stack = new Stack<string>();
        stack.Push("");
        while (stack.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            var rel = stack.Pop();
            DirHandle dir;
            try { dir = rel.Length == 0 ? diffDir : diffDir.OpenBeneath(rel); }
            catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP) { continue; }   // gone or swapped meanwhile
            try
            {
                using var reader = dir.Read();
                while (reader.Next(out var name, out _))
                {
                    if (!dir.TryStat(name, out var st))
                        continue;   // removed while we walked: a live container
                    if (st.IsDirectory)
                    {
                        stack.Push(rel.Length == 0 ? name : rel + "/" + name);
                        continue;
                    }
                    files++;
                    if (st.Size == 0 || !seen.Add(st.Inode))
                        continue;
                    bytes += st.Size;
                    if (progress is not null && (files & 0x3FF) == 0)
                        progress.Report(new SizeProgress(layerName ?? diffDir.Path, layerIndex, layerCount, files, bytes));
                }
            }
            finally
            {
                if (!ReferenceEquals(dir, diffDir))
                    dir.Dispose();
            }
        }
        progress?.Report(new SizeProgress(layerName ?? diffDir.Path, layerIndex, layerCount, files, bytes));
        return bytes;
    }

    /// <summary>Measures each layer's diff dir (opened beneath the store root, never through
    /// a link) and stores the result on the layer. With <paramref name="failed"/>, a layer that
    /// cannot be read (a diff that is a symlink, a permission error) is reported there and the
    /// others are still measured; without it the error ends the call.</summary>
    public static void MeasureLayers(IReadOnlyList<DockerLayer> layers, IProgress<SizeProgress>? progress = null,
        CancellationToken cancel = default, Action<DockerLayer, IOException>? failed = null)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            try
            {
                using var diff = l.OpenDiff();
                if (diff is null)
                    continue;
                l.Size = Measure(diff, progress, l.CacheId, i, layers.Count, cancel);
                l.SizeMeasured = true;
            }
            catch (IOException e) when (failed is not null)
            {
                failed(l, e);
            }
        }
    }
}
