using System.Text.Json;

namespace OverlayPS.Bench.Infra;

/// <summary>
/// Runs one bench script in a fresh `dotnet pwsh` (the module as a user imports it). Scripts
/// read their settings from a JSON file and print one compact JSON object per line; timings
/// and memory are taken inside the script, so pwsh's start-up is not part of any figure.
/// </summary>
public sealed class Pwsh
{
    readonly string repoRoot;
    public Pwsh(string repoRoot) => this.repoRoot = repoRoot;

    public List<JsonElement> Run(string script, object config, string workDir)
    {
        var cfg = Path.Combine(workDir, Path.GetFileNameWithoutExtension(script) + $"-{Guid.NewGuid():N}.json");
        File.WriteAllText(cfg, JsonSerializer.Serialize(config));
        var r = Processes.Run("dotnet", new[] { "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive",
            "-File", Path.Combine(repoRoot, "bench", "scripts", script), "-Config", cfg }, repoRoot);
        var lines = r.StdOut.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).ToList();
        if (lines.Count == 0)
            throw new InvalidOperationException($"{script} printed nothing (exit {r.ExitCode}): {Tail(r.StdErr + r.StdOut)}");
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    static string Tail(string s) => s.Length > 600 ? s[^600..] : s;
}
