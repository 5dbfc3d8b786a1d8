using System.Globalization;
using System.Management.Automation;
using OverlayPS.Core.Transfer;

namespace OverlayPS.Progress;

/// <summary>
/// Turns a Core operation's <see cref="TransferProgress"/> reports into ProgressRecords, worded
/// as the FileSystem provider's Copy-Item words its own ("Copied 758 files [1.466 GB
/// (402.5 MB/s)]"), and closes the bar when the operation ends. The write is the cmdlet's or the
/// provider's WriteProgress: both have one, with no common type.
/// </summary>
sealed class ProgressDisplay
{
    readonly Action<ProgressRecord> _write;
    readonly int _id;
    readonly string _activity;
    readonly string _verb;
    bool _shown;

    /// <param name="activity">The bar's title ("Copy-OverlayItem", "Move-Item").</param>
    /// <param name="verb">What each item undergoes, past tense ("Copied", "Checked").</param>
    public ProgressDisplay(Action<ProgressRecord> write, string activity, string verb)
    {
        _write = write;
        _activity = activity;
        _verb = verb;
        // Distinct ids keep nested operations (a Move-Item's copy inside a pipeline) apart.
        _id = Interlocked.Increment(ref s_lastId);
    }

    static int s_lastId;

    public void Show(TransferProgress p)
    {
        var status = p.Bytes > 0
            ? $"{_verb} {p.Items} items [{Size(p.Bytes)} ({Size(p.BytesPerSecond)}/s)]"
            : $"{_verb} {p.Items} items";
        _write(new ProgressRecord(_id, _activity, status) { CurrentOperation = p.Current });
        _shown = true;
    }

    /// <summary>Removes the bar (a no-op when none was shown).</summary>
    public void Complete()
    {
        if (!_shown)
            return;
        _write(new ProgressRecord(_id, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        _shown = false;
    }

    /// <summary>"402.5 MB": 1024-based units with four significant digits, as the FileSystem
    /// provider prints sizes in its progress.</summary>
    internal static string Size(double bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB" };
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }
        var digits = u == 0 ? "0" : bytes >= 100 ? "0.0" : bytes >= 10 ? "0.00" : "0.000";
        return bytes.ToString(digits, CultureInfo.CurrentCulture) + " " + units[u];
    }
}
