namespace OverlayPS.Core.Docker;

/// <summary>
/// The store asked for something it must not: a layer dir reached through a symlink, an id of
/// the wrong form. Nothing was read through it. An IOException, so the store cmdlets report
/// it as they report an unreadable layer; <see cref="Problem"/> is the same kind
/// Test-OverlayStore reports for it.
/// </summary>
public sealed class UnsafeStoreException : IOException
{
    public StoreProblem Problem { get; }
    public string Path { get; }

    public UnsafeStoreException(StoreProblem problem, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        Path = path;
    }
}
