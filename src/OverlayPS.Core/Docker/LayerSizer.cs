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
    public static long Measure(string diffDir, IProgress<SizeProgress>? progress = null,
        string? layerName = null, int layerIndex = 0, int layerCount = 1, CancellationToken cancel = default)
    {
        var seen = new HashSet<ulong>();
        long bytes = 0, files = 0;
        var stack = new Stack<string>();
        stack.Push(diffDir);
        while (stack.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            var dir = stack.Pop();
            foreach (var path in Directory.EnumerateFileSystemEntries(dir))
            {
                if (!Files.TryLStat(path, out var st))
                    continue;   // removed while we walked: a live container
                if (st.IsDirectory)
                {
                    stack.Push(path);
                    continue;
                }
                files++;
                if (st.Size == 0 || !seen.Add(st.Inode))
                    continue;
                bytes += st.Size;
                if (progress is not null && (files & 0x3FF) == 0)
                    progress.Report(new SizeProgress(layerName ?? diffDir, layerIndex, layerCount, files, bytes));
            }
        }
        progress?.Report(new SizeProgress(layerName ?? diffDir, layerIndex, layerCount, files, bytes));
        return bytes;
    }

    /// <summary>Measures each layer's diff dir and stores the result on the layer.</summary>
    public static void MeasureLayers(IReadOnlyList<DockerLayer> layers, IProgress<SizeProgress>? progress = null,
        CancellationToken cancel = default)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if (!Directory.Exists(l.DiffPath))
                continue;
            l.Size = Measure(l.DiffPath, progress, l.CacheId, i, layers.Count, cancel);
            l.SizeMeasured = true;
        }
    }
}
