using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Confinement;

/// <summary>
/// A stack whose lowers AND upper hold links out of the union: absolute ones to the host's
/// /etc, to / and to an existing host directory (<see cref="HostSentinel"/>), relative ones
/// climbing far above the layer root, a chain, a self-loop, and a file link to a host file.
/// The engine must follow each inside the union (reaching the union's own copy of that path,
/// if it has one) and never on the host.
/// </summary>
public sealed class HostileStack : IDisposable
{
    public Union.Layers L { get; } = new();
    public HostSentinel Host { get; } = new();

    public HostileStack(bool unionHasItsOwnCopy = false)
    {
        var s = Host.Path;
        L.L1.Symlink("etc", "/etc").Symlink("x", "/").Symlink("up", "../../..").Symlink("loop", "loop")
            .Symlink("sent", s).Symlink("sentrel", "../../../../../../../.." + s)
            .Symlink("chain1", "sent").Symlink("chain2", "chain1");
        L.L2.Dir("data").File("data/f", "union data").Symlink("data/fl", s + "/file");
        L.U.Symlink("usent", s).Symlink("uetc", "/etc").Symlink("ux", "/").Symlink("uup", "../../../../..");
        if (unionHasItsOwnCopy)
            L.L3.Dir(Host.Relative).File(Host.Relative + "/file", "union copy").Dir(Host.Relative + "/sub");
    }

    /// <summary>Every path that names the sentinel dir through a hostile link.</summary>
    public IEnumerable<string> WaysToTheSentinel() => new[]
    {
        "/sent", "/sentrel", "/chain2", "/usent", "/x" + Host.Path, "/ux" + Host.Path,
        "/up" + Host.Path, "/uup" + Host.Path, "/../../../.." + Host.Path,
    };

    public void Dispose()
    {
        L.Dispose();
        Host.Dispose();
    }
}
