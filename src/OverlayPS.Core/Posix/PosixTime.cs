namespace OverlayPS.Core.Posix;

/// <summary>
/// A file time as the kernel keeps it: whole seconds since the epoch and nanoseconds. Copy-up
/// and timestamps set through the drive must keep all nine digits (DateTime has only 100 ns),
/// so this, not DateTime, is what travels between the engine and the disk. Properties, not
/// fields, so ConvertTo-Json of an item shows the values.
/// </summary>
public readonly record struct PosixTime(long Seconds, long Nanoseconds)
{
    /// <summary>UTC, truncated to DateTime's 100 ns ticks.</summary>
    public DateTime UtcDateTime =>
        DateTime.UnixEpoch.AddTicks(Seconds * TimeSpan.TicksPerSecond + Nanoseconds / 100);

    /// <summary>A DateTime (local or UTC, as its Kind says) to the kernel's form.</summary>
    public static PosixTime From(DateTime time)
    {
        long ticks = time.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        long sec = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rem);
        if (rem < 0) { sec--; rem += TimeSpan.TicksPerSecond; }   // floor: before 1970 too
        return new PosixTime(sec, rem * 100);
    }

    public override string ToString() => $"{UtcDateTime:yyyy-MM-ddTHH:mm:ss}.{Nanoseconds:D9}Z";
}
