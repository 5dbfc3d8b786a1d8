using System.Globalization;
using System.Text;

namespace OverlayPS.Bench.Infra;

/// <summary>One line of the printed table.</summary>
public sealed record Row(string Case, string Size, string Ours, string Reference, string Ratio, string Target, string Met);

/// <summary>Collects rows and prints them as one markdown table (what the README keeps).</summary>
public sealed class ResultTable
{
    readonly List<Row> rows = new();
    public IReadOnlyList<Row> Rows => rows;

    public void Add(Row row)
    {
        rows.Add(row);
        // Progress on stderr so a long full run shows each case as it finishes.
        Console.Error.WriteLine($"  -> {row.Case} | {row.Size} | {row.Ours} | {row.Reference} | {row.Ratio} | {row.Met}");
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Case | Size | Ours (median) | Reference (median) | Ratio | Target | Met |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Case} | {r.Size} | {r.Ours} | {r.Reference} | {r.Ratio} | {r.Target} | {r.Met} |");
        return sb.ToString();
    }

    public static string Fmt(double v, string unit) =>
        double.IsNaN(v) ? "n/a" :
        v >= 100 ? $"{v.ToString("F0", CultureInfo.InvariantCulture)} {unit}" :
        v >= 10 ? $"{v.ToString("F1", CultureInfo.InvariantCulture)} {unit}" :
        $"{v.ToString("F2", CultureInfo.InvariantCulture)} {unit}";

    public static string Ratio(double ours, double reference) =>
        double.IsNaN(ours) || double.IsNaN(reference) || reference <= 0
            ? "n/a"
            : (ours / reference).ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>"yes"/"NO" for a ratio target (ours / reference at or under max).</summary>
    public static string MetRatio(double ours, double reference, double max) =>
        double.IsNaN(ours) || double.IsNaN(reference) || reference <= 0 ? "n/a"
        : ours / reference <= max ? "yes" : "NO";

    public static string Entries(long n) =>
        n >= 1_000_000 ? $"{n / 1_000_000.0:0.00}M entries"
        : n >= 1_000 ? $"{n / 1_000.0:0.#}k entries" : $"{n} entries";
}
