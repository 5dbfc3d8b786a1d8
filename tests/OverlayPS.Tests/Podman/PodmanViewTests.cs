using System.Text.Json;
using OverlayPS.Core.Podman;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Podman;

/// <summary>
/// The merged view of every image and container of the podman fixture, served by the union
/// engine over layer dirs held beneath the store root, against <c>podman export</c>: names,
/// types, modes, owners, sizes and link targets of every entry.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanViewTests
{
    readonly PodmanFixture _fx;
    public PodmanViewTests(PodmanFixture fx) => _fx = fx;

    [SkippableFact]
    public void Every_image_view_equals_its_export_listing()
    {
        var store = PodmanStore.Open(_fx.Root);
        int images = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(PodmanFixture.TruthDir, "image-files")))
        {
            var img = Assert.Single(store.Images, i => i.Id == "sha256:" + Path.GetFileName(file).Split('.')[0]);
            using var view = store.OpenImage(img);
            Docker.MergedViewTests.AssertSameTree(Export(file), Listing(view), img.Name);
            images++;
        }
        Assert.Equal(10, images);
    }

    [SkippableTheory]
    [InlineData("c-ran")]
    [InlineData("c-created")]
    [InlineData("c-untagged")]
    public void Every_container_view_equals_its_export_listing(string name)
    {
        var store = PodmanStore.Open(_fx.Root);
        using var view = store.OpenContainer(Assert.Single(store.FindContainers(name)));
        var export = Export(Path.Combine(PodmanFixture.TruthDir, "container-files", name + ".jsonl"));
        Assert.True(export.Count > 300, $"only {export.Count} entries");
        Docker.MergedViewTests.AssertSameTree(export, Listing(view), name);
    }

    /// <summary>path -> "type mode uid/gid size target"; a hard link is the file it links to.</summary>
    static Dictionary<string, string> Export(string jsonl)
    {
        var rows = File.ReadAllLines(jsonl).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var sizes = rows.ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("size").GetInt64(), StringComparer.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var type = r.GetProperty("type").GetString()!;
            var link = r.TryGetProperty("linkname", out var l) ? l.GetString() ?? "" : "";
            long size = r.GetProperty("size").GetInt64();
            if (type == "hardlink")
            {
                type = "file";
                size = sizes[link];
                link = "";
            }
            if (type != "file") size = 0;
            var mode = Convert.ToUInt32(r.GetProperty("mode").GetString(), 8);
            result[r.GetProperty("name").GetString()!] = $"{type} {Convert.ToString(mode, 8)} {r.GetProperty("uid").GetInt64()}/{r.GetProperty("gid").GetInt64()} {size} {link}";
        }
        return result;
    }

    static Dictionary<string, string> Listing(OverlayFs fs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push("/");
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var e in fs.ReadDir(dir))
            {
                var st = e.Stat;
                var type = st.Kind switch
                {
                    FileKind.Regular => "file", FileKind.Directory => "dir", FileKind.Symlink => "symlink",
                    FileKind.CharDevice => "char", FileKind.BlockDevice => "block", FileKind.Fifo => "fifo", _ => "other",
                };
                var target = st.IsSymlink ? fs.ReadLink(e.Path) : "";
                result[e.Path.TrimStart('/')] = $"{type} {Convert.ToString(st.Mode, 8)} {st.Uid}/{st.Gid} {(st.IsRegular ? st.Size : 0)} {target}";
                if (st.IsDirectory)
                    stack.Push(e.Path);
            }
        }
        return result;
    }
}
