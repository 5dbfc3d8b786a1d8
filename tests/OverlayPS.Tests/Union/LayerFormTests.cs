using OverlayPS.Tests.Differential;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>The marker forms and stack shapes: userxattr, OCI markers, 500 lowers.</summary>
public class LayerFormTests : IDisposable
{
    readonly Layers _l = new(userXattr: true);
    public void Dispose() => _l.Dispose();

    [SkippableFact]
    public void Userxattr_stacks_read_user_overlay_marks_like_the_kernel()
    {
        RootOnly.Require();
        _l.L2.File("d/below", "b").File("e/gone", "g").File("xw/b", "b").File("xw/c", "c");
        _l.L1.Opaque("d").File("d/own", "o").Dir("e").Whiteout("e/gone").XWhiteoutDir("xw").XattrWhiteout("xw/b");
        _l.U.Dir("d");
        SortedDictionary<string, string> kernel;
        using (var k = _l.Kernel())
            kernel = TreeSnapshot.FromHost(k.MountPoint);
        var fs = _l.Engine();
        TreeSnapshot.AssertSame(kernel, TreeSnapshot.FromEngine(fs), "userxattr tree");
        Assert.Equal(new[] { "own" }, fs.ReadDir("/d").Select(e => e.Name));
        Assert.Empty(fs.ReadDir("/e"));
        Assert.Equal(new[] { "c" }, fs.ReadDir("/xw").Select(e => e.Name));
    }

    [SkippableFact]
    public void Oci_markers_read_as_whiteouts_when_asked()
    {
        RootOnly.Require();
        _l.L2.File("gone", "g").File("d/below", "b").File("keep", "k");
        _l.L1.File(".wh.gone").Dir("d").File("d/.wh..wh..opq").File("d/own", "o");
        var oci = _l.Engine(options: new OverlayFsOptions { OciWhiteouts = true });
        Assert.Null(oci.Lookup("/gone"));
        Assert.Null(oci.Lookup("/.wh.gone"));
        Assert.Equal(new[] { "d", "keep" }, oci.ReadDir("/").Select(e => e.Name).Order());
        Assert.Equal(new[] { "own" }, oci.ReadDir("/d").Select(e => e.Name));
        Assert.True(oci.Stat("/d").IsOpaque);
        // The kernel's reading (the default): markers are plain files.
        var plain = _l.Engine();
        Assert.NotNull(plain.Lookup("/gone"));
        Assert.NotNull(plain.Lookup("/.wh.gone"));
    }

    [SkippableFact]
    public void Five_hundred_lowers_merge()
    {
        RootOnly.Require();
        var lowers = new List<string>();
        for (int i = 0; i < LayerStack.MaxLowers; i++)
        {
            var b = new LayerBuilder(Path.Combine(_l.Base, "many", i.ToString()));
            b.File($"shared/f{i}", i.ToString()).File("top", i.ToString());
            lowers.Add(b.Root);
        }
        var fs = new OverlayFs(new LayerStack(lowers));
        Assert.Equal(LayerStack.MaxLowers, fs.ReadDir("/shared").Count());
        Assert.Equal("lower500", fs.Stat("/shared/f499").Layer.Name);
        using var r = new StreamReader(fs.OpenRead("/top"));
        Assert.Equal("0", r.ReadToEnd());
    }

    [SkippableFact]
    public void A_stack_without_upper_refuses_writes_with_EROFS()
    {
        RootOnly.Require();
        _l.L1.File("f", "x");
        var fs = _l.Engine(withUpper: false);
        var e = Assert.Throws<OverlayPS.Core.Posix.PosixException>(() => fs.Unlink("/f"));
        Assert.Equal(Errno.EROFS, e.Errno);
    }
}

public class MarkerTests : IDisposable
{
    readonly Layers _l = new();
    public void Dispose() => _l.Dispose();

    [SkippableFact]
    public void Markers_show_why_names_are_hidden()
    {
        RootOnly.Require();
        _l.L3.File("d/a", "a").File("d/b", "b").File("d/e", "e").Opaque("d");
        _l.L2.Dir("d").Whiteout("d/a").File("d/.wh.e");
        _l.L1.XWhiteoutDir("d").XattrWhiteout("d/b").File("d/keep", "k");
        _l.U.Dir("d").Whiteout("d/z");
        var fs = _l.Engine();
        var marks = fs.ReadMarkers("/d").Select(m => $"{m.Layer.Name}:{m.Kind}:{m.Name}").Order().ToArray();
        Assert.Equal(new[] { "lower1:XattrWhiteout:b", "lower2:OciWhiteout:e", "lower2:Whiteout:a", "lower3:Opaque:", "upper:Whiteout:z" }, marks);
    }
}
