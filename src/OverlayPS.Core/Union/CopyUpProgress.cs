using OverlayPS.Core.Transfer;

namespace OverlayPS.Core.Union;

/// <summary>
/// How the data copy of a copy-up goes, for whoever asked on this thread: the first write to a
/// big lower file copies all of it first (seconds for gigabytes), inside a call that has no
/// progress parameter of its own (an open, a chmod). A caller wraps the call in
/// <see cref="Report"/>; copies that end within one interval report nothing, so small files
/// never flash a bar.
/// </summary>
public static class CopyUpProgress
{
    [ThreadStatic] static Action<TransferProgress>? t_report;
    [ThreadStatic] static TimeSpan t_interval;

    /// <summary>Sends this thread's copy-up progress to <paramref name="report"/> until disposed,
    /// at most once per <paramref name="interval"/> (ProgressTicker.DefaultInterval when null).</summary>
    public static Scope Report(Action<TransferProgress> report, TimeSpan? interval = null)
    {
        var scope = new Scope(t_report, t_interval);
        t_report = report;
        t_interval = interval ?? ProgressTicker.DefaultInterval;
        return scope;
    }

    public readonly struct Scope : IDisposable
    {
        readonly Action<TransferProgress>? _previous;
        readonly TimeSpan _previousInterval;
        internal Scope(Action<TransferProgress>? previous, TimeSpan interval) => (_previous, _previousInterval) = (previous, interval);
        public void Dispose() => (t_report, t_interval) = (_previous, _previousInterval);
    }

    /// <summary>The per-chunk callback for one file's data copy, or null when nobody asked.</summary>
    internal static Action<long>? For(string path)
    {
        if (t_report is not { } report)
            return null;
        var ticker = new ProgressTicker(t_interval);
        ticker.Due();       // the first report comes one interval in
        return copied =>
        {
            if (ticker.Due())
                report(new TransferProgress(1, copied, path, ticker.Elapsed));
        };
    }
}
