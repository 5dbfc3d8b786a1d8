using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>Opens each layer's diff dir, each through the store it came from (see
    /// <see cref="OpenDiff"/>), in the order given; on failure the ones already open are closed.</summary>
    internal static List<DirHandle?> OpenDiffs(IEnumerable<DockerLayer> layers)
    {
        var open = new List<DirHandle?>();
        try
        {
            foreach (var l in layers)
                open.Add(l.OpenDiff());
            return open;
        }
        catch
        {
            foreach (var h in open) h?.Dispose();
            throw;
        }
    }

    /// <summary>The diff dirs below a layer, base first, as paths (see <see cref="LowerLayers"/>).</summary>
    public IReadOnlyList<string> LowerDiffDirs(DockerLayer layer) =>
        LowerLayers(layer).Select(l => l.DiffPath).ToList();
}
