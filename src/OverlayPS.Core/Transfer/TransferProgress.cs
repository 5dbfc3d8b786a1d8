using System.Diagnostics;

namespace OverlayPS.Core.Transfer;

/// <summary>How far a long operation has got, as told to its progress callback.</summary>
/// <param name="Items">Objects done (files, links, directories...).</param>
/// <param name="Bytes">Bytes of file data written so far, the current file's included.</param>
/// <param name="Current">The path being worked on.</param>
/// <param name="Elapsed">Time since the operation began.</param>
public readonly record struct TransferProgress(long Items, long Bytes, string Current, TimeSpan Elapsed)
{
    public double BytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// When a progress report is due: at the first check, then at most once per interval. A check
/// is one monotonic clock read, so callers ask per object and per data chunk; what a report
/// costs (a ProgressRecord through the host) is then paid a few times a second at most,
/// whatever the number of files.
/// </summary>
public sealed class ProgressTicker
{
    /// <summary>About what the FileSystem provider's Copy-Item updates at, and what a console
    /// redraws comfortably.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly long _interval;
    long _next;

    public ProgressTicker(TimeSpan interval)
    {
        _interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>True when a report is due; the next is then due one interval later.</summary>
    public bool Due()
    {
        var now = _clock.ElapsedTicks;
        if (now < _next)
            return false;
        _next = now + _interval;
        return true;
    }
}
