using System.Diagnostics;

namespace OverlayPS.Bench.Infra;

/// <summary>
/// Runs ours and the reference in alternation (ours, reference, ours, ...) so drift in the
/// machine (page cache, other engineers' builds on the 2 shared cores) hits both sides alike,
/// and reports medians, which one noisy run cannot move.
/// </summary>
public static class Timing
{
    public readonly record struct Pair(double Ours, double Reference);

    /// <summary>Each delegate returns the milliseconds it measured itself (setup excluded).</summary>
    public static Pair Alternate(int runs, Func<double> ours, Func<double> reference)
    {
        var o = new List<double>(runs);
        var r = new List<double>(runs);
        for (int i = 0; i < runs; i++)
        {
            o.Add(ours());
            r.Add(reference());
        }
        return new Pair(Median(o), Median(r));
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    public static double Ms(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }
}
