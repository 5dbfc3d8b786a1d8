using System.Diagnostics;

namespace OverlayPS.Tests.Daemon;

/// <summary>
/// A private dockerd (Debian's docker.io) for tests that compare with the real thing, started and
/// stopped by tests/daemon/dockerd.sh: its own data root, exec root, socket and pid file in a temp
/// dir, no bridge, no iptables, overlay2. Started on first use; one per test run (the collection
/// below) because a start costs seconds. When docker.io cannot be installed the test skips, and
/// with CI=true that is a failure, as for root-only tests.
/// </summary>
public sealed class PrivateDockerd : IDisposable
{
    public const string Docker = "/usr/bin/docker";   // Debian's CLI, matching the daemon
    static string Script => Path.Combine(AppContext.BaseDirectory, "daemon", "dockerd.sh");

    readonly TempDir _dir = new("ovlps-dockerd");
    readonly object _gate = new();
    bool _started;
    string? _startError;

    /// <summary>The daemon's dir: data root at Dir/root, socket at Dir/docker.sock.</summary>
    public string Dir => _dir.Path;
    public string DataRoot => Path.Combine(_dir.Path, "root");
    public string Socket => Path.Combine(_dir.Path, "docker.sock");

    /// <summary>Makes sure the daemon runs; skips (or fails in CI) when docker.io is not available.</summary>
    public void Require()
    {
        RootOnly.Require("a private dockerd");
        lock (_gate)
        {
            if (!_started && _startError is null)
            {
                var install = RunScript("install");
                if (install.Code == 3)
                    _startError = "docker.io cannot be installed here: " + install.Err.Trim();
                else if (install.Code != 0)
                    throw new InvalidOperationException($"dockerd.sh install failed ({install.Code}): {install.Err}");
                else
                {
                    var start = RunScript("start", Dir);
                    if (start.Code != 0)
                        throw new InvalidOperationException($"dockerd.sh start failed ({start.Code}): {start.Err}");
                    _started = true;
                }
            }
        }
        if (_startError is not null)
        {
            if (RootOnly.InCi)
                throw new InvalidOperationException(_startError + ", and CI=true forbids skipping it.");
            Skip.If(true, _startError);
        }
    }

    /// <summary>Runs the daemon's own CLI; returns stdout, throws with stderr on failure.</summary>
    public string Run(params string[] args)
    {
        Require();
        var r = Exec(Docker, args, env: true);
        if (r.Code != 0)
            throw new InvalidOperationException($"docker {string.Join(' ', args)} failed ({r.Code}): {r.Err}");
        return r.Out;
    }

    /// <summary>A busybox rootfs tarball for `docker import` (made by dockerd.sh rootfs).</summary>
    public string MakeRootfsTar(string path)
    {
        Require();
        var r = RunScript("rootfs", path);
        if (r.Code != 0)
            throw new InvalidOperationException($"dockerd.sh rootfs failed: {r.Err}");
        return path;
    }

    (int Code, string Out, string Err) RunScript(params string[] args) =>
        Exec("bash", new[] { Script }.Concat(args).ToArray(), env: false);

    (int Code, string Out, string Err) Exec(string file, string[] args, bool env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env)
        {
            psi.Environment["DOCKER_HOST"] = "unix://" + Socket;
            psi.Environment["DOCKER_CONFIG"] = Path.Combine(Dir, "cli");
        }
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    /// <summary>Stops the daemon (waits for it and its containerd, unmounts only beneath Dir).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (!_started) return;
            var r = RunScript("stop", Dir);
            if (r.Code != 0)
                throw new InvalidOperationException($"dockerd.sh stop failed ({r.Code}): {r.Err}");
            _started = false;
        }
    }

    public void Dispose()
    {
        try { Stop(); }
        finally
        {
            // rm -rf first: a container's leftovers in the data root (an /etc/mtab link to
            // /proc/mounts, root-only dirs) defeat Directory.Delete; nothing is mounted here now.
            using (var rm = Process.Start("rm", new[] { "-rf", Dir }))
                rm?.WaitForExit();
            _dir.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DockerdCollection : ICollectionFixture<PrivateDockerd>
{
    public const string Name = "Private dockerd";
}
