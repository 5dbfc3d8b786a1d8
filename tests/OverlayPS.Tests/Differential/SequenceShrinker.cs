namespace OverlayPS.Tests.Differential;

/// <summary>
/// Makes a diverging sequence small enough to read: first the ops (delta debugging), then the
/// stack (entries dropped one at a time, leaves first, while the run still diverges).
/// </summary>
public static class SequenceShrinker
{
    public static SequenceOutcome Shrink(SequenceOutcome failing, int maxRuns = 250)
    {
        var small = OpListShrinker.Shrink(failing, maxRuns / 2);
        return StackShrinker.Shrink(small, maxRuns / 2);
    }
}

/// <summary>Drops stack entries (with their subtrees and hard links) while the run still diverges.</summary>
public static class StackShrinker
{
    public static SequenceOutcome Shrink(SequenceOutcome failing, int maxRuns)
    {
        var best = failing;
        int runs = 0;
        // Passes until one removes nothing: an entry needed only because of another one goes
        // once that one has gone.
        for (int before = -1; before != best.Spec.EntryCount && runs < maxRuns;)
        {
            before = best.Spec.EntryCount;
            int layerCount = best.Spec.Layers.Count();
            for (int l = 0; l < layerCount; l++)
            {
                // Last entry first: children come after their parents, so leaves go first.
                for (int i = best.Spec.Layers.ElementAt(l).Entries.Count - 1; i >= 0 && runs < maxRuns; i--)
                {
                    var layer = best.Spec.Layers.ElementAt(l);
                    if (i >= layer.Entries.Count)
                        continue;
                    runs++;
                    var trial = DifferentialRun.Run(failing.Seed, failing.Mode, best.OpIndices,
                        best.Spec.Without(layer, layer.Entries[i]));
                    if (trial.Diverged)
                        best = trial;
                }
            }
        }
        return best;
    }
}

/// <summary>
/// Delta debugging (Zeller's ddmin, complements only) over the op indices of a diverging
/// sequence: the stack stays the seed's, ops are dropped while the run still diverges, so a
/// report holds the few ops that matter.
/// </summary>
public static class OpListShrinker
{
    public static SequenceOutcome Shrink(SequenceOutcome failing, int maxRuns = 120)
    {
        var best = failing;
        var current = failing.OpIndices.ToList();
        int granularity = 2;
        int runs = 0;
        while (current.Count >= 2 && runs < maxRuns)
        {
            int chunk = (int)Math.Ceiling(current.Count / (double)granularity);
            bool reduced = false;
            for (int start = 0; start < current.Count && runs < maxRuns; start += chunk)
            {
                var complement = current.Take(start).Concat(current.Skip(start + chunk)).ToList();
                runs++;
                var trial = DifferentialRun.Run(failing.Seed, failing.Mode, complement, failing.Spec);
                if (trial.Diverged)
                {
                    current = complement;
                    best = trial;
                    granularity = Math.Max(granularity - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced)
            {
                if (granularity >= current.Count)
                    break;
                granularity = Math.Min(granularity * 2, current.Count);
            }
        }
        // A single op may still be more than needed: the stack alone may diverge.
        if (current.Count == 1 && runs < maxRuns)
        {
            var none = DifferentialRun.Run(failing.Seed, failing.Mode, Array.Empty<int>(), failing.Spec);
            if (none.Diverged)
                best = none;
        }
        return best;
    }
}
