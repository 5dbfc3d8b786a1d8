using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Kernel;

/// <summary>
/// What overlayfs printed about a mount(2) refusal. mount(2) has no channel for a message, so
/// overlayfs reports through printk ("overlayfs: failed to resolve '/x': -2"); the new mount
/// API gets the same text on the fs_context instead (see <see cref="Mount.FsContext.ReadLog"/>).
/// </summary>
public static class KernelLog
{
    // overlayfs prints "overlayfs: ..." (pr_fmt); option errors raised through the fs_context
    // (invalf) are printed with the filesystem's name instead: "overlay: Unknown parameter ...".
    static readonly string[] Markers = { "overlayfs: ", "overlay: " };

    /// <summary>The last overlayfs line of the kernel log with its timestamp, or null when
    /// there is none or the log cannot be read (dmesg_restrict without CAP_SYSLOG).</summary>
    public static string? LastOverlayLine()
    {
        var text = KernelLogBuffer.ReadAll();
        if (text is null)
            return null;
        string? last = null;
        foreach (var line in text.Split('\n'))
        {
            if (MarkerAt(line) >= 0)
                last = line;
        }
        return last;
    }

    /// <summary>The overlayfs message (from "overlayfs:" on) of a line that differs from
    /// <paramref name="before"/>: a line already there before the mount is about something else.</summary>
    public static string? NewOverlayMessage(string? before)
    {
        var after = LastOverlayLine();
        if (after is null || after == before)
            return null;
        return after[MarkerAt(after)..].Trim();
    }

    static int MarkerAt(string line)
    {
        foreach (var m in Markers)
        {
            int i = line.IndexOf(m, StringComparison.Ordinal);
            if (i >= 0)
                return i;
        }
        return -1;
    }
}
