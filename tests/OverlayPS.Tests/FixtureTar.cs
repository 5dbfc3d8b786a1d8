using System.Diagnostics;

namespace OverlayPS.Tests;

/// <summary>Runs tar on a fixture tarball (the fixtures are packed with tar, xattrs and all).</summary>
public static class FixtureTar
{
    public static void Run(params string[] args)
    {
        var psi = new ProcessStartInfo("tar") { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"tar failed ({p.ExitCode}): {err}");
    }
}
