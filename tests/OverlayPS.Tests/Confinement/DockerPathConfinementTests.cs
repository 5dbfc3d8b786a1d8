using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;
using OverlayPS.Tests.Docker;

namespace OverlayPS.Tests.Confinement;

/// <summary>Paths given to the store reader name files inside the image: ".." stops at its
/// root, as in the union engine, and never climbs out of a layer's diff dir to the host.</summary>
[Collection(DockerCollection.Name)]
public sealed class DockerPathConfinementTests
{
    readonly DockerFixture _fx;
    public DockerPathConfinementTests(DockerFixture fx) => _fx = fx;

    [SkippableFact]
    public void Path_history_never_reports_a_host_file()
    {
        var store = DockerStore.Open(_fx.Root);
        var layers = new BaseFirst<DockerLayer>(Assert.Single(store.FindImages("app:1.0")).Layers.OfType<DockerLayer>());
        using var host = new HostSentinel();
        var climb = string.Concat(Enumerable.Repeat("/..", 20));
        // The host file exists, at the end of enough ".." from any diff dir: not in the image.
        Assert.Empty(PathHistory.Of(layers, climb + host.Path + "/file"));
        Assert.Empty(PathHistory.Of(layers, climb.TrimStart('/') + host.Path + "/file"));
        var motd = PathHistory.Of(layers, "/etc/motd").Select(s => (s.Position, s.Action, s.Size)).ToList();
        Assert.NotEmpty(motd);
        Assert.Equal(motd, PathHistory.Of(layers, climb + "/etc/./motd").Select(s => (s.Position, s.Action, s.Size)));
        Assert.Equal("/etc/motd", PathHistory.Of(layers, "/../etc/x/../motd")[0].Path);
    }
}
