namespace OverlayPS.Bench.Infra;

/// <summary>What every case needs: the size, where data goes, the table, pwsh, cleanup.</summary>
public sealed class BenchContext
{
    public required BenchSize Size { get; init; }
    public required string RepoRoot { get; init; }
    /// <summary>tmpfs scratch (listing, lookup, store cases): no disk noise in tree walks.</summary>
    public required string MemRoot { get; init; }
    /// <summary>Real-disk scratch (copy-up): the kernel copy-up writes to a disk filesystem.</summary>
    public required string DiskRoot { get; init; }
    public required ResultTable Table { get; init; }
    public required Pwsh Pwsh { get; init; }
    /// <summary>-Keep: leave data and mounts for a look afterwards (debugging, profiling).</summary>
    public bool Keep { get; init; }
    public string Manifest => Path.Combine(RepoRoot, "OverlayPS.psd1");
    public string TrustedPrefix => "trusted.";

    readonly Stack<IDisposable> cleanup = new();
    public T Track<T>(T d) where T : IDisposable { cleanup.Push(d); return d; }

    public void CleanUp()
    {
        while (cleanup.Count > 0)
        {
            try { cleanup.Pop().Dispose(); }
            catch (Exception e) { Console.Error.WriteLine($"cleanup: {e.Message}"); }
        }
    }

    public static void Log(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
