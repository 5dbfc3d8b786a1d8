namespace OverlayPS.Core.Layers;

/// <summary>Why a layer stack cannot be used; the PowerShell layer maps each to a category.</summary>
public enum LayerStackProblem
{
    Missing,
    NotADirectory,
    Unreadable,
    UpperWithoutWork,
    WorkWithoutUpper,
    WorkOnOtherFilesystem,
    WorkNotEmpty,
    UsedTwice,
    Nested,
    NoLowers,
    TooManyLayers,
}

/// <summary>A stack rejected before anything touched it, naming the directory at fault.</summary>
public sealed class LayerStackException : ArgumentException
{
    public LayerStackProblem Problem { get; }
    public string? Directory { get; }

    public LayerStackException(LayerStackProblem problem, string? directory, string message)
        : base(message)
    {
        Problem = problem;
        Directory = directory;
    }
}
