namespace OverlayPS.Core.Docker;

/// <summary>
/// The short-link checks of the overlay layout Docker's overlay2 and containers-storage's
/// overlay driver share: each layer dir's <c>link</c> and <c>lower</c> files against
/// <c>l/</c>, and each <c>l/</c> link (its target read as text, never followed) against the
/// layer dirs. <paramref name="dirWord"/> names a layer dir in messages ("overlay2 dir").
/// </summary>
internal static class OverlayLinkCheck
{
    /// <summary>A layer dir's link file (present, and in l/) and lower file (each entry in l/).</summary>
    public static IEnumerable<StoreFinding> OfDir(Overlay2Dir d, IReadOnlyDictionary<string, string?> links, StoreFiles files,
        string driverPath, string dirWord)
    {
        if (d.LinkId is null)
        {
            if (d.HasDiff && !files.Refused.Contains(Path.Combine(d.Path, "link")))
                yield return new StoreFinding(StoreProblem.MissingLink, Path.Combine(d.Path, "link"), d.CacheId,
                    $"{dirWord} {d.CacheId} has no link file.");
        }
        else if (!links.ContainsKey(d.LinkId))
            yield return new StoreFinding(StoreProblem.MissingLink, Path.Combine(driverPath, "l", d.LinkId), d.CacheId,
                $"{dirWord} {d.CacheId} has link {d.LinkId}, but l/{d.LinkId} does not exist.");
        foreach (var lower in d.LowerLinks)
        {
            var name = lower.StartsWith("l/", StringComparison.Ordinal) ? lower[2..] : lower;
            if (!links.ContainsKey(name))
                yield return new StoreFinding(StoreProblem.DanglingLower, Path.Combine(d.Path, "lower"), d.CacheId,
                    $"{dirWord} {d.CacheId}'s lower file names {lower}, which does not exist.");
        }
    }

    /// <summary>Each l/ link must point at ../&lt;id&gt;/diff of an existing layer dir whose link
    /// file names it back.</summary>
    public static IEnumerable<StoreFinding> OfLinks(IReadOnlyDictionary<string, Overlay2Dir> dirs,
        IReadOnlyDictionary<string, string?> links, string driverPath, string dirWord)
    {
        foreach (var (name, target) in links.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(driverPath, "l", name);
            var id = Overlay2DirReader.CacheIdOfLinkTarget(target);
            if (id is null)
                yield return new StoreFinding(StoreProblem.BrokenLink, path, name,
                    $"l/{name} points at '{target}', not at ../<id>/diff.");
            else if (!dirs.TryGetValue(id, out var dir) || !dir.HasDiff)
                yield return new StoreFinding(StoreProblem.BrokenLink, path, name,
                    $"l/{name} points at ../{id}/diff, which does not exist.");
            else if (dir.LinkId != name)
                yield return new StoreFinding(dir.LinkId is null ? StoreProblem.UnclaimedLink : StoreProblem.BrokenLink, path, name,
                    $"l/{name} points at {dirWord} {id}, whose link file says {dir.LinkId ?? "nothing"}.");
        }
    }
}
