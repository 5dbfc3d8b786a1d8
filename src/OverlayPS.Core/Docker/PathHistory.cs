using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Docker;

/// <summary>What one layer does to one path of an image or container.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum PathAction
{
    /// <summary>The path appears: nothing was visible there below.</summary>
    Added,
    /// <summary>Something was visible below and this layer's entry replaces it (a new file, or
    /// an opaque directory, or a dir over a file).</summary>
    Replaced,
    /// <summary>A directory merged with the one below: it adds its own names to it.</summary>
    Merged,
    /// <summary>A whiteout at the path removes what was below.</summary>
    Deleted,
    /// <summary>The path itself is untouched but this layer hides it: a whiteout, a file or an
    /// opaque dir at one of its parents.</summary>
    HiddenByParent,
}

/// <summary>One layer's part in a path's story, bottom first. Plain data: the layer is named
/// by its overlay2 dir id, with the step that made it.</summary>
public sealed record PathLayerStep(
    string Path,
    int Position,
    string LayerId,
    LayerKind LayerKind,
    string? CreatedBy,
    string? Comment,
    PathAction Action,
    FileKind ItemType,
    long Size,
    /// <summary>This layer's entry is part of the final view (for a merged dir, one of several).</summary>
    bool Visible,
    /// <summary>This layer's entry is what the final view shows (its metadata, its content).</summary>
    bool Supplies,
    /// <summary>Position of the layer that made this entry invisible, if one did.</summary>
    int? HiddenBy)
{
    /// <summary>The store root the layers are in.</summary>
    public string? Store { get; init; }
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    /// <summary>The containerd namespace asked in (null for other stores): a piped step finds its store's namespace again.</summary>
    public string? Namespace { get; init; }
    /// <summary>The image asked about (by the name given), when it was an image.</summary>
    public string? Image { get; init; }
    /// <summary>The container asked about (by name), when it was a container.</summary>
    public string? Container { get; init; }
}

/// <summary>
/// Which layer supplies a path in an image or container, and which layers before it were
/// hidden or overwritten (what dive shows per file).
/// </summary>
public static class PathHistory
{
    /// <summary>A path's story in an image, each step naming the image and its store.</summary>
    public static IReadOnlyList<PathLayerStep> Of(DockerImage image, string path) =>
        Of(new BaseFirst<DockerLayer>(image.Layers.OfType<DockerLayer>()), path)
            .Select(s => s with { Store = image.Store, StoreKind = image.StoreKind, Namespace = image.Namespace, Image = image.Name }).ToList();

    /// <summary>A path's story in a container (image layers, init, read-write), each step
    /// naming the container and its store.</summary>
    public static IReadOnlyList<PathLayerStep> Of(DockerContainer container, string path) =>
        Of(container.GetLayers(), path)
            .Select(s => s with { Store = container.Store, StoreKind = container.StoreKind, Namespace = container.Namespace, Container = container.Name }).ToList();

    public static IReadOnlyList<PathLayerStep> Of(BaseFirst<DockerLayer> layers, string path)
    {
        path = Normalize(path);
        if (layers.Count == 0)
            return Array.Empty<PathLayerStep>();    // an image of no layers (FROM scratch + LABEL): nothing holds anything
        var dirs = DockerStore.OpenDiffs(layers);
        try
        {
            using var chain = new LayerChain(dirs);
            return Of(chain, layers, path);
        }
        finally
        {
            foreach (var d in dirs) d?.Dispose();
        }
    }

    static IReadOnlyList<PathLayerStep> Of(LayerChain chain, BaseFirst<DockerLayer> layers, string path)
    {
        int top = chain.Count - 1;
        var after = new List<int>[chain.Count];
        for (int i = 0; i <= top; i++)
            after[i] = chain.Lookup(path, i);
        var final = after[top];
        var steps = new List<PathLayerStep>();
        for (int i = 0; i <= top; i++)
        {
            var before = i == 0 ? new List<int>() : after[i - 1];
            var action = ActionOf(chain, i, path, before, after[i]);
            if (action is null)
                continue;
            var st = action is PathAction.Deleted or PathAction.HiddenByParent
                ? (before.Count > 0 ? chain.ProbeStat(before[0], path).Stat : default)
                : chain.ProbeStat(i, path).Stat;
            int? hiddenBy = null;
            if (after[i].Contains(i))
                for (int j = i + 1; j <= top; j++)
                    if (!after[j].Contains(i)) { hiddenBy = j + 1; break; }
            var layer = layers[i];
            steps.Add(new PathLayerStep(path, i + 1, layer.CacheId, layer.Kind, layer.CreatedBy, layer.Comment, action.Value, st.Kind,
                st.IsRegular ? st.Size : 0, final.Contains(i), final.Count > 0 && final[0] == i, hiddenBy));
        }
        return steps;
    }

    static PathAction? ActionOf(LayerChain chain, int i, string path, List<int> before, List<int> after)
    {
        bool had = before.Count > 0;
        if (after.Contains(i))
        {
            if (!had) return PathAction.Added;
            var here = chain.Probe(i, path);
            bool belowIsDir = chain.ProbeStat(before[0], path).Stat.IsDirectory;
            return here == LayerEntryState.Directory && belowIsDir ? PathAction.Merged : PathAction.Replaced;
        }
        if (!had || after.Count > 0 && after.SequenceEqual(before))
            return null;                          // this layer does not touch the path
        return chain.Probe(i, path) == LayerEntryState.Whiteout ? PathAction.Deleted : PathAction.HiddenByParent;
    }

    /// <summary>A path inside the image: "." dropped and ".." applied, stopping at the root
    /// as the kernel does at a mount's root. (The layer dirs are held and read beneath, which
    /// refuses ".." anyway; normalising first gives the answer the kernel would.)</summary>
    internal static string Normalize(string path) => UnionPath.ParseLexical(path).Value;
}
