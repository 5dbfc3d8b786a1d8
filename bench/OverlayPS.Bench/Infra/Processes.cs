using System.Diagnostics;

namespace OverlayPS.Bench.Infra;

/// <summary>Runs a child process to completion, output captured, wall time measured.</summary>
public static class Processes
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr, double Ms);

    public static Result Run(string file, IEnumerable<string> args, string? cwd = null, bool discardStdOut = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cwd is not null) psi.WorkingDirectory = cwd;
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var err = p.StandardError.ReadToEndAsync();
        string stdout;
        if (discardStdOut)
        {
            // Drain without keeping: a reference tool's output is not ours to hold in memory.
            var buf = new char[1 << 16];
            while (p.StandardOutput.Read(buf, 0, buf.Length) > 0) { }
            stdout = "";
        }
        else
        {
            stdout = p.StandardOutput.ReadToEnd();
        }
        p.WaitForExit();
        var ms = sw.Elapsed.TotalMilliseconds;
        return new Result(p.ExitCode, stdout, err.Result, ms);
    }

    public static Result Check(string file, IEnumerable<string> args, string? cwd = null)
    {
        var r = Run(file, args, cwd);
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({r.ExitCode}): {r.StdErr.Trim()}");
        return r;
    }

    /// <summary>Times a shell command whose output goes to /dev/null (as a user would pipe it).</summary>
    public static double ShellMs(string command)
    {
        var r = Run("/bin/sh", new[] { "-c", command + " > /dev/null" });
        if (r.ExitCode != 0)
            throw new InvalidOperationException($"'{command}' failed ({r.ExitCode}): {r.StdErr.Trim()}");
        return r.Ms;
    }
}
