namespace OverlayPS.Tests.Differential;

/// <summary>
/// Which names of a generated stack the merged view starts with, by the plain overlay rules
/// (topmost wins, a whiteout hides, a non-dir ends the merge, an opaque dir hides below).
/// Only used to aim ops at names that exist, never as an oracle: the kernel is the oracle.
/// </summary>
public static class SpecMergedView
{
    public static Dictionary<string, SpecKind> VisiblePaths(StackSpec spec)
    {
        var layers = new List<Dictionary<string, SpecEntry>>();
        if (spec.Upper is not null)
            layers.Add(spec.Upper.Entries.ToDictionary(e => e.Path));
        foreach (var l in spec.Lowers)
            layers.Add(l.Entries.ToDictionary(e => e.Path));
        var visible = new Dictionary<string, SpecKind>();
        Visit("", Enumerable.Range(0, layers.Count).ToList(), layers, visible);
        return visible;
    }

    static void Visit(string dir, List<int> contributing, List<Dictionary<string, SpecEntry>> layers,
        Dictionary<string, SpecKind> visible)
    {
        var names = contributing.SelectMany(i => layers[i].Keys.Where(p => ParentOf(p) == dir))
            .Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();
        foreach (var path in names)
        {
            var below = new List<int>();
            foreach (var i in contributing)
            {
                if (!layers[i].TryGetValue(path, out var e))
                    continue;
                if (e.Kind is SpecKind.Whiteout or SpecKind.XattrWhiteout)
                    break;
                if (e.Kind != SpecKind.Dir)
                {
                    if (below.Count == 0)
                        visible[path] = e.Kind == SpecKind.HardLink ? SpecKind.File : e.Kind;
                    break;
                }
                below.Add(i);
                if (e.Opaque == "y")
                    break;
            }
            if (below.Count > 0)
            {
                visible[path] = SpecKind.Dir;
                Visit(path, below, layers, visible);
            }
        }
    }

    static string ParentOf(string path) => path[..path.LastIndexOf('/')];
}
