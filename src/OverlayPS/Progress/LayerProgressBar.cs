using System.Diagnostics;
using System.Management.Automation;
using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;

namespace OverlayPS.Progress;

/// <summary>
/// Write-Progress for Core's layer work (verify, export, save), fed synchronously on the
/// cmdlet's own thread. Throttled: a record at most every 200 ms and at each new layer, since
/// a layer of many small files reports after every file.
/// </summary>
sealed class LayerProgressBar : IProgress<LayerProgress>
{
    static int s_lastId = 100;
    readonly Cmdlet _cmdlet;
    readonly string _activity;
    readonly int _id = Interlocked.Increment(ref s_lastId);
    readonly Stopwatch _since = Stopwatch.StartNew();
    int _lastLayer = -1;
    bool _shown;

    public LayerProgressBar(Cmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _activity = activity;
    }

    public void Report(LayerProgress p)
    {
        if (p.LayerIndex == _lastLayer && _since.ElapsedMilliseconds < 200)
            return;
        _lastLayer = p.LayerIndex;
        _since.Restart();
        int pct = p.LayerCount == 0 ? 0 : (int)(100L * p.LayerIndex / p.LayerCount);
        var size = p.LayerSize > 0 ? $" of {ProgressDisplay.Size(p.LayerSize)}" : "";
        _cmdlet.WriteProgress(new ProgressRecord(_id, _activity,
            $"Layer {p.LayerIndex + 1}/{p.LayerCount} {Digests.Short(p.Layer)}: {ProgressDisplay.Size(p.Bytes)}{size}")
        { PercentComplete = pct });
        _shown = true;
    }

    /// <summary>Progress of one layer (export): bytes written so far.</summary>
    public Action<long> ForLayer(string layer, long size) => bytes => Report(new LayerProgress(0, 1, layer, bytes, size));

    public void Complete()
    {
        if (_shown)
            _cmdlet.WriteProgress(new ProgressRecord(_id, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        _shown = false;
    }
}
