using System.Diagnostics;

using OverlayPS.Core.Archive;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Differential;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Archive;

/// <summary>
/// Export and import judged by the kernel: an upper made by real kernel operations, exported
/// and imported as a new lower, mounts (with the kernel) to the same merged tree as the
/// original; and a layer imported onto an upper gives the same merged tree as the same layer
/// stacked as a new lower above that upper (what applying a layer means).
/// </summary>
public sealed class LayerRoundTripTests : IDisposable
{
    readonly TempDir _tmp = new("ovlps-roundtrip");

    public void Dispose() => _tmp.Dispose();

    string BaseLower()
    {
        var l = _tmp.Sub("lower");
        foreach (var (p, text) in new[] { ("etc/passwd", "root:x:0:0\n"), ("etc/group", "root:x:0:\n"), ("keep/a", "a"),
                     ("keep/b", "b"), ("opq/old", "old"), ("dir/x", "x"), ("gone-dir/y", "y"), ("upperonly-below", "u") })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(l, p))!);
            File.WriteAllText(Path.Combine(l, p), text);
        }
        return l;
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnExportedUpperImportedAsALowerMountsToTheSameTree(bool gzip)
    {
        RootOnly.Require("kernel overlay mounts");
        var lower = BaseLower();
        var upper = _tmp.Sub("upper");
        var work = _tmp.Sub("work");
        using (var m = new KernelOverlay(new LayerStack(new[] { lower }, upper, work), Path.Combine(_tmp.Path, "m1")))
        {
            string M(string p) => Path.Combine(m.MountPoint, p);
            File.Delete(M("etc/group"));                                   // kernel whiteout
            File.Delete(M("keep/b"));                                      // a second one: same inode
            Directory.Delete(M("opq"), true);
            Directory.CreateDirectory(M("opq"));                           // opaque dir
            File.WriteAllText(M("opq/new"), "new");
            File.AppendAllText(M("etc/passwd"), "more\n");                 // copy-up
            var deep = M(new string('d', 90) + "/" + new string('e', 90));
            Directory.CreateDirectory(deep);                               // USTAR-split and PAX names
            File.WriteAllText(Path.Combine(deep, new string('f', 120)), "long");
            File.WriteAllText(M("café"), "non-ascii");
            File.WriteAllText(M("hard1"), "linked");
            Files.Link(M("hard1"), M("hard2"));
            Files.Symlink("../etc/passwd", M("keep/link"));
            Files.MkNod(M("fifo"), FileKind.Fifo, 0x1A4);
            Files.MkNod(M("null"), FileKind.CharDevice, 0x1B6, AtCalls.MakeDev(1, 3));
            File.WriteAllText(M("suid"), "s");
            Files.LChown(M("suid"), 1234, 3_000_000);                      // gid beyond USTAR's octal field
            Files.Chmod(M("suid"), 0x9ED);                                 // 04755
            Xattrs.Set(M("hard1"), "security.capability", [0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        }
        WholeSecondTimes(upper);
        using (var up = DirHandle.OpenRoot(upper))
        {
            up.OpenFile("raw-\uDCFFname", OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0x1A4).Dispose();   // not UTF-8
            var t = new PosixTime(1_600_000_000, 0);
            up.SetTimes("raw-\uDCFFname", t, t);
            up.SetTimes("", t, t);
        }

        var tar = Path.Combine(_tmp.Path, gzip ? "layer.tar.gz" : "layer.tar");
        LayerTarResult exported;
        using (var o = File.Create(tar))
            exported = LayerDirExport.FromDirectory(upper, o, new LayerTarOptions { Gzip = gzip });
        var imported = Path.Combine(_tmp.Path, "imported");
        var result = LayerImport.ToNewLower(tar, imported, new LayerImportOptions());

        Assert.Equal(2, result.Whiteouts);
        Assert.Equal(1, result.OpaqueDirs);
        using var original = new KernelOverlay(new LayerStack(new[] { upper, lower }), Path.Combine(_tmp.Path, "orig"));
        using var copy = new KernelOverlay(new LayerStack(new[] { imported, lower }), Path.Combine(_tmp.Path, "copy"));
        TreeSnapshot.AssertSame(WithoutRoot(TreeSnapshot.FromHost(original.MountPoint)),
            WithoutRoot(TreeSnapshot.FromHost(copy.MountPoint)), "merged tree of the imported lower");
        // Export and import are a fixpoint from there on (the first export differs only where
        // kernel whiteouts shared an inode: docker gives the second a link name).
        var tar2 = Path.Combine(_tmp.Path, "again.tar");
        LayerTarResult second;
        using (var o = File.Create(tar2))
            second = LayerDirExport.FromDirectory(imported, o, new LayerTarOptions());
        var imported2 = Path.Combine(_tmp.Path, "imported2");
        LayerImport.ToNewLower(tar2, imported2, new LayerImportOptions());
        using var third = new MemoryStream();
        var thirdId = LayerDirExport.FromDirectory(imported2, third, new LayerTarOptions()).DiffId;
        Assert.Equal(second.DiffId, thirdId);
        Assert.NotEqual(exported.DiffId, second.DiffId);
    }

    [SkippableFact]
    public void ALayerImportedOntoAnUpperEqualsTheSameLayerStackedAboveIt()
    {
        RootOnly.Require("kernel overlay mounts");
        var lower = BaseLower();
        var upper = _tmp.Sub("upper");
        var work = _tmp.Sub("work");
        File.WriteAllText(Path.Combine(upper, "upperonly"), "before");
        Directory.CreateDirectory(Path.Combine(upper, "keep"));
        File.WriteAllText(Path.Combine(upper, "keep", "c"), "c");
        Directory.CreateDirectory(Path.Combine(upper, "etc"));
        Files.MakeWhiteout(Path.Combine(upper, "etc", "group"));
        Files.MakeWhiteout(Path.Combine(upper, "gone-dir"));
        Directory.CreateDirectory(Path.Combine(upper, "opq"));
        File.WriteAllText(Path.Combine(upper, "opq", "upper-old"), "o");
        Directory.CreateDirectory(Path.Combine(upper, "dir"));
        File.WriteAllText(Path.Combine(upper, "dir", "upper-x"), "x");
        var before = Path.Combine(_tmp.Path, "upper-before");
        Run("cp", "-a", upper, before);

        var layer = new TarBuilder()
            .File(".wh.dir", "")                    // a dir with lower and upper content, deleted
            .Dir("etc/").File("etc/group", "again") // a file the upper had whited out
            .Dir("gone-dir/").File("gone-dir/z")    // a dir over an upper whiteout: must hide gone-dir/y
            .Dir("keep/", 0x1C0).File("keep/.wh.a", "").File("keep/new", "n").HardLink("keep/new-link", "keep/new")
            .Dir("opq/").File("opq/.wh..wh..opq", "").File("opq/fresh", "f")
            .File("upperonly", "after")
            .WriteTo(Path.Combine(_tmp.Path, "layer.tar"));
        var stacked = Path.Combine(_tmp.Path, "stacked");
        LayerImport.ToNewLower(layer, stacked, new LayerImportOptions());

        LayerImport.OntoUpper(layer, upper, work, new LayerImportOptions());

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(work, "work")));
        using var expected = new KernelOverlay(new LayerStack(new[] { stacked, before, lower }), Path.Combine(_tmp.Path, "expected"));
        using var actual = new KernelOverlay(new LayerStack(new[] { upper, lower }), Path.Combine(_tmp.Path, "actual"));
        var got = TreeSnapshot.FromHost(actual.MountPoint);
        TreeSnapshot.AssertSame(WithoutRoot(TreeSnapshot.FromHost(expected.MountPoint)), WithoutRoot(got), "layer onto the upper");
        Assert.False(got.ContainsKey("/gone-dir/y"));
        Assert.False(got.ContainsKey("/opq/old") || got.ContainsKey("/opq/upper-old"));
    }

    static SortedDictionary<string, string> WithoutRoot(SortedDictionary<string, string> t)
    {
        t.Remove("/");          // a layer tar has no entry for its root: the new lower's own root differs
        return t;
    }

    /// <summary>Tars keep whole seconds: every entry of the upper gets a whole-second mtime.</summary>
    static void WholeSecondTimes(string dir)
    {
        var t = new PosixTime(1_600_000_000, 0);
        foreach (var p in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
            Files.LUTimes(p, t, t);
    }

    static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
