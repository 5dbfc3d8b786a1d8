using System.Text.Json.Nodes;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Podman;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Podman;

/// <summary>
/// A podman store is untrusted input: ids that would climb out of overlay/, metadata files
/// swapped for links, l/ links out of the store and layer dirs swapped for links are reported
/// and never followed; a broken store is named by Test-OverlayStore's findings. Each case
/// damages a private copy of the fixture.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanHostileTests
{
    const string Base = "5a44f5a814071b14d60d8b7e44345315c81295fb9a76ed0573fec3a43a45d9d8";
    const string ToolsTop = "b1ecd3c9927abd0cd21ab05e5f4bc12f91defd9ebaa12ad640b3a1197456f745";
    const string CreatedRw = "c56eab123ed93b2676c38d69e72217d5bd7cc8dbe0efcfdd607ba7e0a724c654";

    readonly PodmanFixture _fx;
    public PodmanHostileTests(PodmanFixture fx) => _fx = fx;

    static void EditJson(string file, Action<JsonArray> edit)
    {
        var arr = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        edit(arr);
        File.WriteAllText(file, arr.ToJsonString());
    }

    [SkippableFact]
    public void Ids_that_would_climb_out_of_overlay_are_reported_and_never_used()
    {
        var root = _fx.UnpackCopy("ids");
        EditJson(Path.Combine(root, "overlay-layers", "layers.json"), a =>
            a.Add(new JsonObject { ["id"] = "../../../../etc", ["parent"] = Base }));
        EditJson(Path.Combine(root, "overlay-containers", "containers.json"), a =>
            a[0]!["layer"] = "../" + CreatedRw);
        var store = PodmanStore.Open(root);
        Assert.DoesNotContain(store.Layers, l => l.CacheId.Contains('/'));
        Assert.Equal(2, store.Containers.Count);     // the one with the bad layer id is skipped
        Assert.Contains(store.ReadProblems, p => p.Contains("'../../../../etc'"));
        var findings = store.Check();
        Assert.Equal(2, findings.Count(f => f.Problem == StoreProblem.Unparsable));
        Assert.All(findings, f => Assert.Equal(StoreKind.Podman, f.StoreKind));
    }

    [SkippableFact]
    public void A_symlinked_layers_json_is_refused_not_followed()
    {
        var root = _fx.UnpackCopy("linkedjson");
        var outside = Path.Combine(Path.GetDirectoryName(root)!, "elsewhere.json");
        File.Move(Path.Combine(root, "overlay-layers", "layers.json"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "overlay-layers", "layers.json"), outside);
        var store = PodmanStore.Open(root);
        // Nothing is read through the link: every dir is unreferenced, every image incomplete.
        Assert.All(store.Layers, l => Assert.Equal(LayerKind.Unreferenced, l.Kind));
        Assert.All(store.Images, i => Assert.False(i.IsComplete));
        var f = Assert.Single(store.Check(), f => f.Problem == StoreProblem.NotRegularFile);
        Assert.Equal(Path.Combine(root, "overlay-layers", "layers.json"), f.Path);
        Assert.Contains(store.Check(), f => f.Problem == StoreProblem.UnreferencedDir);
    }

    [SkippableFact]
    public void An_l_link_out_of_the_store_is_reported_and_layers_are_still_read_from_their_own_dirs()
    {
        var root = _fx.UnpackCopy("link");
        var link = File.ReadAllText(Path.Combine(root, "overlay", Base, "link")).Trim();
        var linkPath = Path.Combine(root, "overlay", "l", link);
        File.Delete(linkPath);
        File.CreateSymbolicLink(linkPath, "/etc");
        var store = PodmanStore.Open(root);
        var f = Assert.Single(store.Check());
        Assert.Equal((StoreProblem.BrokenLink, linkPath), (f.Problem, f.Path));
        Assert.Null(store.LayerOwningPath(linkPath));
        // Lower files naming the link keep it unresolved; the parent chain still finds the base.
        Assert.Contains("l/" + link, store.LayerByCacheId(ToolsTop)!.Lowers);
        using var view = store.OpenImage(Assert.Single(store.FindImages("fixture/tools")));
        Assert.Equal(FileKind.Regular, view.Stat("/bin/busybox").Kind);
        Assert.Null(view.Lookup("/passwd"));       // /etc's files did not become the image's root
    }

    [SkippableFact]
    public void A_diff_dir_swapped_for_a_link_is_unsafe_and_never_read()
    {
        var root = _fx.UnpackCopy("diff");
        var diff = Path.Combine(root, "overlay", ToolsTop, "diff");
        Directory.Move(diff, diff + ".real");
        Directory.CreateSymbolicLink(diff, "/etc");
        var store = PodmanStore.Open(root);
        var img = Assert.Single(store.FindImages("fixture/tools"));
        var e = Assert.Throws<UnsafeStoreException>(() => store.OpenImage(img));
        Assert.Equal(StoreProblem.LinkedLayerDir, e.Problem);
        Assert.Contains(store.Check(), f => f.Problem == StoreProblem.LinkedLayerDir && f.Path == diff);
    }

    [SkippableFact]
    public void Entries_without_dirs_dirs_without_entries_and_dangling_parents_are_named()
    {
        var root = _fx.UnpackCopy("refs");
        Directory.Delete(Path.Combine(root, "overlay", CreatedRw), recursive: true);
        var orphan = new string('e', 64);
        Directory.CreateDirectory(Path.Combine(root, "overlay", orphan, "diff"));
        var missingParent = new string('f', 64);
        EditJson(Path.Combine(root, "overlay-layers", "layers.json"), a =>
        {
            foreach (var l in a)
                if ((string?)l!["id"] == ToolsTop)
                    l["parent"] = missingParent;
        });
        var store = PodmanStore.Open(root);
        var findings = store.Check();
        Assert.Contains(findings, f => f.Problem == StoreProblem.MissingLayerDir && f.Subject == CreatedRw);
        Assert.Contains(findings, f => f.Problem == StoreProblem.UnreferencedDir && f.Subject == orphan);
        Assert.Contains(findings, f => f.Problem == StoreProblem.MissingParent && f.Subject == ToolsTop && f.Message.Contains(missingParent));
        Assert.False(Assert.Single(store.FindImages("fixture/tools")).IsComplete);
        Assert.Throws<InvalidDataException>(() => store.OpenImage(Assert.Single(store.FindImages("fixture/tools"))));
        Assert.Equal(LayerKind.Unreferenced, store.LayerByCacheId(orphan)!.Kind);
    }

    [SkippableFact]
    public void A_metacopy_file_in_a_container_layer_reads_its_data_from_below()
    {
        // What rootful podman on Fedora (metacopy=on) leaves after a chmod of an image file:
        // an empty sparse file of the same size marked trusted.overlay.metacopy.
        var root = _fx.UnpackCopy("metacopy");
        var lower = Path.Combine(root, "overlay", Base, "diff", "etc", "passwd");
        var upperEtc = Path.Combine(root, "overlay", CreatedRw, "diff", "etc");
        Directory.CreateDirectory(upperEtc);
        var upper = Path.Combine(upperEtc, "passwd");
        using (var fs = File.Create(upper))
            fs.SetLength(new FileInfo(lower).Length);
        Files.Chmod(upper, 0x180);
        using (var dir = DirHandle.OpenRoot(upperEtc))
            dir.SetXattr("passwd", "trusted.overlay.metacopy", Array.Empty<byte>());
        var store = PodmanStore.Open(root);
        using var view = store.OpenContainer(Assert.Single(store.FindContainers("c-created")));
        using var read = new StreamReader(view.OpenRead("/etc/passwd"));
        Assert.Equal(File.ReadAllText(lower), read.ReadToEnd());
        Assert.Equal(0x180u, view.Stat("/etc/passwd").Stat.Mode);
    }
}
