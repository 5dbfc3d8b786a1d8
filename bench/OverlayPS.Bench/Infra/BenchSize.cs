namespace OverlayPS.Bench.Infra;

/// <summary>
/// How big each case's data is. "quick" keeps the CI smoke run (tests/pester/Bench.Tests.ps1)
/// well under a minute and only proves the harness works; "full" is the size the issue names
/// and the one the README's table comes from.
/// </summary>
public sealed record BenchSize(
    string Name,
    int Runs,                 // alternating runs per case (ours, reference, ours, ...)
    int ListingEntries,       // cases 1-2: merged entries of the 10-lower tree
    int ListingLowers,
    int[] LookupDepths,       // case 3: lowers in each stack
    int LookupFiles,          // case 3: distinct bottom-layer files looked up per run
    long CopyUpBytes,         // case 4
    int StoreLayers,          // case 5
    int MemoryEntries)        // case 6 (targets are set a little high: the generator lands ~3% under)
{
    public static readonly BenchSize Quick = new("quick", 3, 3_000, 10, new[] { 1, 10, 100, 500 }, 50,
        16L << 20, 200, 10_000);

    public static readonly BenchSize Full = new("full", 5, 103_000, 10, new[] { 1, 10, 100, 500 }, 1_000,
        1L << 30, 1_000, 1_040_000);

    public static BenchSize Parse(string name) => name.ToLowerInvariant() switch
    {
        "quick" => Quick,
        "full" => Full,
        _ => throw new ArgumentException($"Unknown size '{name}': want quick or full."),
    };
}
