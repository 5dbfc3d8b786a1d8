namespace OverlayPS.Bench.Infra;

/// <summary>The machine line printed above the table: cores, memory, kernel, data filesystems.</summary>
public static class Machine
{
    public static string Describe(BenchContext ctx)
    {
        long memKb = File.ReadLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:"))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault();
        string kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?";
        return $"{Environment.ProcessorCount} cores ({cpu}), {memKb / 1024 / 1024.0:0.#} GiB RAM, kernel {kernel}, " +
               $"listing/memory/store data on {FsType("/dev/shm")} (/dev/shm), lookup and copy-up on {FsType("/var/tmp")} (/var/tmp), " +
               $".NET {Environment.Version}";
    }

    /// <summary>The filesystem type of the mount holding path (longest mount point prefix).</summary>
    static string FsType(string path)
    {
        string best = "", type = "?";
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var parts = line.Split(' ');
            var mp = parts[4];
            int dash = Array.IndexOf(parts, "-");
            if ((path == mp || path.StartsWith(mp.TrimEnd('/') + "/", StringComparison.Ordinal)) && mp.Length >= best.Length)
            {
                best = mp;
                type = parts[dash + 1];
            }
        }
        return type;
    }
}
