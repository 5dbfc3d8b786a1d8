namespace OverlayPS.Bench.Infra;

/// <summary>
/// Memory figures from /proc/&lt;pid&gt;/status. VmHWM is the peak resident set; writing "5" to
/// /proc/&lt;pid&gt;/clear_refs resets that peak to the current RSS (Linux 4.0+, see proc(5)),
/// so one process can measure the peak of one phase after another.
/// </summary>
public static class ProcStatus
{
    public static long Kb(string field, int? pid = null)
    {
        foreach (var line in File.ReadLines($"/proc/{(pid?.ToString() ?? "self")}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim());
        }
        throw new InvalidOperationException($"{field} is not in /proc status");
    }

    public static void ResetPeak(int? pid = null) =>
        File.WriteAllText($"/proc/{(pid?.ToString() ?? "self")}/clear_refs", "5");
}
