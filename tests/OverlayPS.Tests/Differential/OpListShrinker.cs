namespace OverlayPS.Tests.Differential;

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
                var trial = DifferentialRun.Run(failing.Seed, failing.Mode, complement);
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
            var none = DifferentialRun.Run(failing.Seed, failing.Mode, Array.Empty<int>());
            if (none.Diverged)
                best = none;
        }
        return best;
    }
}
