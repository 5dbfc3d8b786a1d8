using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;

namespace OverlayPS.Tests.Docker;

/// <summary>Get-OverlayChange's scanner against docker diff, and its rules on small layers.</summary>
[Collection(DockerCollection.Name)]
public sealed class ChangeTests
{
    readonly DockerFixture _fx;
    public ChangeTests(DockerFixture fx) => _fx = fx;

    [SkippableTheory]
    [InlineData("c-ran")]
    [InlineData("c-stopped")]
    [InlineData("c-created")]
    public void Container_changes_equal_docker_diff_as_sets(string name)
    {
        var store = DockerStore.Open(_fx.Root);
        var c = Assert.Single(store.FindContainers(name));
        var ours = store.GetChanges(c.RwLayer!).Changes.Select(x => x.ToString()).OrderBy(x => x, StringComparer.Ordinal);
        var docker = File.ReadAllLines(Path.Combine(DockerFixture.TruthDir, "diff", name + ".txt"))
            .Where(l => l.Length > 0).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(docker, ours);
    }

    [SkippableFact]
    public void A_scan_reports_progress_from_its_first_entry_and_changes_nothing_in_its_answer()
    {
        var store = DockerStore.Open(_fx.Root);
        var c = Assert.Single(store.FindContainers("c-ran"));
        var reports = new List<Core.Transfer.TransferProgress>();
        var withProgress = store.GetChanges(c.RwLayer!, progress: reports.Add).Changes.Select(x => x.ToString());
        Assert.Equal(store.GetChanges(c.RwLayer!).Changes.Select(x => x.ToString()), withProgress);
        // The first report comes at the first entry read; later ones only as time passes.
        var first = Assert.Single(reports.Take(1));
        Assert.Equal(1, first.Items);
        Assert.StartsWith("/", first.Current);
        Assert.Equal(reports.Select(r => r.Items).Order(), reports.Select(r => r.Items));
    }

    [SkippableFact]
    public void The_committed_layer_shows_the_same_changes_as_its_container()
    {
        // committed:latest is docker commit of c-ran: its top layer is c-ran's upper as a tarball.
        var store = DockerStore.Open(_fx.Root);
        var top = Assert.Single(store.FindImages("committed:latest")).Layers[^1]!;
        var ours = store.GetChanges(top).Changes.Select(x => x.ToString()).OrderBy(x => x, StringComparer.Ordinal);
        var docker = File.ReadAllLines(Path.Combine(DockerFixture.TruthDir, "diff", "c-ran.txt"))
            .Where(l => l.Length > 0).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(docker, ours);
    }

    [SkippableFact]
    public void Opaque_dir_is_changed_with_hidden_lower_names_deleted_and_dot_wh_files_warned()
    {
        RootOnly.Require("whiteouts (mknod) and trusted.* xattrs");
        var d = _fx.ScratchDir("changes-" + Guid.NewGuid().ToString("N"));
        string low = Path.Combine(d, "low"), up = Path.Combine(d, "up");
        Directory.CreateDirectory(Path.Combine(low, "dir/sub"));
        File.WriteAllText(Path.Combine(low, "dir/a"), "a");
        File.WriteAllText(Path.Combine(low, "dir/sub/b"), "b");
        File.WriteAllText(Path.Combine(low, "keep"), "k");
        File.WriteAllText(Path.Combine(low, "gone"), "g");
        Directory.CreateDirectory(Path.Combine(up, "dir/sub"));
        Core.Posix.Xattrs.Set(Path.Combine(up, "dir"), "trusted.overlay.opaque", "y");
        File.WriteAllText(Path.Combine(up, "dir/new"), "n");
        Core.Posix.Files.MakeWhiteout(Path.Combine(up, "gone"));
        Core.Posix.Files.MakeWhiteout(Path.Combine(up, "never-was"));   // whiteout of nothing: no change
        File.WriteAllText(Path.Combine(up, ".wh.keep"), "");
        // dir/sub is unchanged itself but holds a deletion (its lower b is hidden): C, as the
        // merged-tree differ reports a dir with changes inside.
        var set = ChangeScanner.Scan(up, new BaseFirst<string>(new[] { low }), "test");
        var lines = set.Changes.Select(c => c.ToString()).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "A /.wh.keep", "A /dir/new", "C /dir", "C /dir/sub", "D /dir/a", "D /dir/sub/b", "D /gone" }, lines);
        Assert.Single(set.Warnings, w => w.Contains("/.wh.keep"));
        Assert.Equal(1, set.Changes.Single(c => c.Path == "/dir/sub/b").Size);
    }
}
