using OverlayPS.Core.Layers;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Docker;

/// <summary>Path provenance and wasted space, against the fixture's known history and
/// against the union engine as an independent oracle.</summary>
[Collection(DockerCollection.Name)]
public sealed class PathHistoryTests
{
    readonly DockerFixture _fx;
    public PathHistoryTests(DockerFixture fx) => _fx = fx;


    [SkippableFact]
    public void A_modified_then_deleted_file_tells_its_story()
    {
        var store = DockerStore.Open(_fx.Root);
        var app = Assert.Single(store.FindImages("app:1.0"));
        var steps = PathHistory.Of(new BaseFirst<DockerLayer>(app.Layers.OfType<DockerLayer>()), "/etc/motd");
        Assert.Equal(new[] { (1, PathAction.Added), (4, PathAction.Replaced) }, steps.Select(s => (s.Position, s.Action)));
        Assert.Equal(4, steps[0].HiddenBy);
        Assert.True(steps[1].Supplies);
        Assert.Contains("/etc/motd", steps[1].CreatedBy);

        var ran = Assert.Single(store.FindContainers("c-ran"));
        steps = PathHistory.Of(ran.GetLayers(), "etc/motd");
        Assert.Equal(new[] { (1, PathAction.Added), (4, PathAction.Replaced), (14, PathAction.Deleted) },
            steps.Select(s => (s.Position, s.Action)));
        Assert.DoesNotContain(steps, s => s.Visible);
        Assert.Equal(14, steps[1].HiddenBy);
        Assert.Equal(FileKind.Regular, steps[2].ItemType);   // what was deleted

        steps = PathHistory.Of(ran.GetLayers(), "/app/empty-nested/a/b");
        Assert.Equal(new[] { (8, PathAction.Added), (14, PathAction.HiddenByParent) }, steps.Select(s => (s.Position, s.Action)));
    }

    [SkippableFact]
    public void The_supplying_layer_is_the_one_the_union_engine_serves_for_every_path()
    {
        var store = DockerStore.Open(_fx.Root);
        foreach (var img in store.Images.Where(i => !i.IsIntermediate))
        {
            var layers = new BaseFirst<DockerLayer>(img.Layers.OfType<DockerLayer>());
            var fs = new OverlayFs(store.ImageStack(img));
            foreach (var e in Walk(fs))
            {
                var steps = PathHistory.Of(layers, e.Path);
                var supplier = Assert.Single(steps, s => s.Supplies);
                // lowerN counts from the top: lower1 is the image's top layer.
                Assert.Equal(layers.Count - e.Layer.Index, supplier.Position);
                Assert.Equal(e.IsMerged, steps.Count(s => s.Visible) > 1);
            }
        }
    }

    [SkippableFact]
    public void Wasted_bytes_are_the_files_the_union_engine_does_not_show()
    {
        var store = DockerStore.Open(_fx.Root);
        foreach (var img in store.Images)
        {
            var layers = new BaseFirst<DockerLayer>(img.Layers.OfType<DockerLayer>());
            var fs = new OverlayFs(store.ImageStack(img));
            var expected = new List<string>();
            long bytes = 0;
            for (int i = 0; i < layers.Count - 1; i++)
            {
                var inodes = new HashSet<ulong>();
                foreach (var file in Directory.EnumerateFileSystemEntries(layers[i].DiffPath, "*", SearchOption.AllDirectories))
                {
                    var st = Files.LStat(file);
                    if (st.IsDirectory || st.IsCharDevice00)
                        continue;
                    var path = file[layers[i].DiffPath.Length..];
                    if (fs.Lookup(path) is { } shown && shown.RealPath == file)
                        continue;
                    expected.Add($"{i + 1} {path}");
                    if (inodes.Add(st.Inode)) bytes += st.Size;
                }
            }
            var waste = WastedSpace.Measure(img);
            Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal),
                waste.Files.Select(f => $"{f.Position} {f.Path}").OrderBy(x => x, StringComparer.Ordinal));
            Assert.Equal(bytes, waste.WastedBytes);
            if (img.Tags.Contains("app:1.0"))
            {
                Assert.Contains(waste.Files, f => f.Path == "/opt/remove-me" && !f.Overwritten && f.By == 5);
                Assert.Contains(waste.Files, f => f.Path == "/etc/motd" && f.Overwritten && f.By == 4);
                Assert.True(waste.WastedBytes > 0);
            }
        }
    }

    static IEnumerable<UnionEntry> Walk(OverlayFs fs)
    {
        var stack = new Stack<string>();
        stack.Push("/");
        while (stack.Count > 0)
            foreach (var e in fs.ReadDir(stack.Pop()))
            {
                yield return e;
                if (e.IsDirectory) stack.Push(e.Path);
            }
    }
}
