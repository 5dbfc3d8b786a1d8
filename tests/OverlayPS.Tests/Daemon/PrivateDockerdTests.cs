using System.Diagnostics;

namespace OverlayPS.Tests.Daemon;

/// <summary>The test daemon itself: it starts, imports an image, and stops leaving nothing behind.</summary>
public sealed class PrivateDockerdTests
{
    [SkippableFact]
    public void StartsImportsAndStopsWithoutLeavingMountsOrProcesses()
    {
        using var dockerd = new PrivateDockerd();
        dockerd.Require();
        var tar = dockerd.MakeRootfsTar(Path.Combine(dockerd.Dir, "rootfs.tar"));
        var id = dockerd.Run("import", tar, "infra:1").Trim();
        Assert.StartsWith("sha256:", id);
        Assert.Equal("overlay2", dockerd.Run("info", "--format", "{{.Driver}}").Trim());
        Assert.Equal(id, dockerd.Run("image", "inspect", "--format", "{{.Id}}", "infra:1").Trim());
        // The image lives in our data root, not the machine's.
        Assert.True(File.Exists(Path.Combine(dockerd.DataRoot, "image/overlay2/repositories.json")));
        var pid = int.Parse(File.ReadAllText(Path.Combine(dockerd.Dir, "dockerd.started.pid")));

        dockerd.Stop();

        Assert.False(Running(pid), "dockerd still runs after stop");
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"),
            l => l.Split(' ')[4].StartsWith(dockerd.Dir + "/", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(dockerd.Dir, "dockerd.started.pid")));
    }

    // Gone, or a zombie its new parent has not reaped yet (it no longer runs either way).
    static bool Running(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/status").Contains("\nState:\tZ"); }
        catch (IOException) { return false; }
    }
}
