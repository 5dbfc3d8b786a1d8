using OverlayPS.Tests.Differential;
using Native = Mono.Unix.Native;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// The read side against the kernel: the same layers mounted for real and served by the
/// engine must give the same tree (names, kinds, modes, owners, nlink, times, contents,
/// symlink targets, xattrs), and the same answer for each lookup.
/// </summary>
public class ReadSideTests : IDisposable
{
    readonly Layers _l = new();
    public void Dispose() => _l.Dispose();

    void BuildRichLayers()
    {
        _l.L3.File("a", "a from l3").File("d/x", "x3").Dir("d/sub").File("d/sub/deep", "deep")
             .File("shadowed-file", "l3").Dir("dir-over-file").File("dir-over-file/in", "in")
             .File("file-over-dir", "l3 file").Dir("gone-dir").File("gone-dir/f", "f")
             .Dir("opq").File("opq/below", "hidden by opaque").File("hard", "hard").HardLink("hard2", "hard");
        _l.L2.File("a", "a from l2", 0x180).File("d/y", "y2").Whiteout("d/x").Dir("d", 0x1C0)
             .File("shadowed-file", "l2 wins").File("dir-over-file", "file hides the dir")
             .Dir("file-over-dir").File("file-over-dir/z", "z").Whiteout("gone-dir")
             .Opaque("opq").File("opq/own", "own").Symlink("rel-link", "d/y").Symlink("abs-link", "/d/y")
             .Fifo("fifo").Dir("only2").Whiteout("only2/lonely-whiteout").Xattr("a", "user.color", "blue");
        _l.L1.XWhiteoutDir("xw").XattrWhiteout("xw/b").File("l1file", "1").Dir("d/sub")
             .File("d/sub/more", "more").Symlink("chain1", "chain2").Symlink("chain2", "d/../rel-link");
        _l.L2.File("xw/b", "hidden by xattr whiteout").File("xw/c", "visible");
        _l.U.File("u", "upper file").Dir("d").File("d/u", "u").Whiteout("l1file").Dir("uonly")
            .Xattr("d", "user.tag", "upper");
    }

    [SkippableFact]
    public void Merged_tree_matches_the_kernel()
    {
        RootOnly.Require();
        BuildRichLayers();
        SortedDictionary<string, string> kernel;
        using (var k = _l.Kernel())
            kernel = TreeSnapshot.FromHost(k.MountPoint);
        var engine = TreeSnapshot.FromEngine(_l.Engine());
        TreeSnapshot.AssertSame(kernel, engine, "merged tree");
        // A few facts spelled out, so a wrong oracle cannot hide a bug either.
        Assert.DoesNotContain("/l1file", engine.Keys);
        Assert.DoesNotContain("/gone-dir", engine.Keys);
        Assert.DoesNotContain("/opq/below", engine.Keys);
        Assert.DoesNotContain("/xw/b", engine.Keys);
        Assert.Contains("/xw/c", engine.Keys);
        Assert.Equal("lstat failed ENOENT", engine["/only2/lonely-whiteout"]);     // listed, lookup fails (as the kernel)
    }

    [SkippableFact]
    public void Read_only_stack_matches_the_kernel()
    {
        RootOnly.Require();
        BuildRichLayers();
        SortedDictionary<string, string> kernel;
        using (var k = _l.Kernel(withUpper: false))
            kernel = TreeSnapshot.FromHost(k.MountPoint);
        TreeSnapshot.AssertSame(kernel, TreeSnapshot.FromEngine(_l.Engine(withUpper: false)), "read-only tree");
    }

    [SkippableFact]
    public void Each_entry_knows_its_layer()
    {
        RootOnly.Require();
        BuildRichLayers();
        var fs = _l.Engine();
        Assert.Equal("lower2", fs.Stat("/a").Layer.Name);
        Assert.Equal("upper", fs.Stat("/u").Layer.Name);
        Assert.Equal("lower3", fs.Stat("/hard").Layer.Name);
        var d = fs.Stat("/d");
        Assert.True(d.IsMerged);
        Assert.Equal("upper", d.Layer.Name);
        Assert.Equal(1UL, d.Stat.NLink);
        Assert.Equal(_l.U.P("d"), d.RealPath);
        var opq = fs.Stat("/opq");
        Assert.True(opq.IsOpaque);
        Assert.False(opq.IsMerged);
        var listed = fs.ReadDir("/d").ToDictionary(e => e.Name, e => e.Layer.Name);
        Assert.Equal(new Dictionary<string, string> { ["u"] = "upper", ["sub"] = "lower1", ["y"] = "lower2" }, listed);
    }

    [SkippableFact]
    public void Noent_notdir_and_nametoolong_match_the_kernel()
    {
        RootOnly.Require();
        BuildRichLayers();
        var fs = _l.Engine();
        using var k = _l.Kernel();
        // A name over 255 bytes is ENAMETOOLONG wherever the walk meets it (ovl_lookup checks
        // the length before any layer), but ENOTDIR comes first below a file; 255 is a name.
        string tooLong = new('n', 256), longest = new('n', 255);
        foreach (var p in new[] { "/nope", "/l1file", "/gone-dir/f", "/a/x", "/a/", "/d/x", "/opq/below", "/xw/b", "/d/", "/rel-link/", "/chain1/",
            "/" + tooLong, "/d/" + tooLong, "/" + tooLong + "/x", "/a/" + tooLong, "/rel-link/" + tooLong, "/" + longest, "/" + new string('é', 128) })
        {
            var kernelErrno = Native.Syscall.lstat(k[p], out _) == 0 ? (Errno)0 : MonoVocabulary.LastError();
            Errno engineErrno = 0;
            try { fs.Stat(p); }
            catch (PosixException e) { engineErrno = e.Errno; }
            Assert.True(kernelErrno == engineErrno, $"{p}: kernel {kernelErrno}, engine {engineErrno}");
        }
        Assert.Null(fs.Lookup("/l1file"));
    }

    [SkippableFact]
    public void Symlink_chains_resolve_inside_the_union()
    {
        RootOnly.Require();
        BuildRichLayers();
        var fs = _l.Engine();
        using var k = _l.Kernel();
        Assert.Equal("/d/y", fs.ResolvePath("/chain1"));
        using (var r = new StreamReader(fs.OpenRead("/chain1")))
            Assert.Equal(File.ReadAllText(k["/chain1"]), r.ReadToEnd());
        using (var r = new StreamReader(fs.OpenRead("/abs-link")))
            Assert.Equal("y2", r.ReadToEnd());
        Assert.Equal("chain2", fs.ReadLink("/chain1"));
        Assert.Equal(Errno.EINVAL, Assert.Throws<PosixException>(() => fs.ReadLink("/a")).Errno);
        Assert.True(fs.Stat("/chain1").Stat.IsSymlink);
    }

    [SkippableFact]
    public void A_symlink_loop_fails_with_ELOOP()
    {
        RootOnly.Require();
        _l.L1.Symlink("loop1", "loop2").Symlink("loop2", "/loop1");
        var fs = _l.Engine();
        Assert.Equal(Errno.ELOOP, Assert.Throws<PosixException>(() => fs.OpenRead("/loop1")).Errno);
        Assert.True(fs.Stat("/loop1").Stat.IsSymlink);
    }

    [SkippableFact]
    public void Dir_open_lists_a_directory_and_refuses_a_file()
    {
        RootOnly.Require();
        BuildRichLayers();
        var fs = _l.Engine();
        Assert.Equal(Errno.ENOTDIR, Assert.Throws<PosixException>(() => fs.ReadDir("/a")).Errno);
        Assert.Equal(Errno.ENOENT, Assert.Throws<PosixException>(() => fs.ReadDir("/nope")).Errno);
        Assert.Equal(Errno.EISDIR, Assert.Throws<PosixException>(() => fs.OpenRead("/d")).Errno);
        Assert.Equal(new[] { "more" }, fs.ReadDir("/d/sub/../sub").Select(e => e.Name).Where(n => n == "more"));
    }

    [SkippableFact]
    public void Private_overlay_xattrs_are_hidden_and_user_xattrs_shown()
    {
        RootOnly.Require();
        BuildRichLayers();
        var fs = _l.Engine();
        Assert.Equal(new[] { "user.color" }, fs.ListXattrs("/a"));
        Assert.Equal("blue"u8.ToArray(), fs.GetXattr("/a", "user.color"));
        Assert.DoesNotContain(fs.ListXattrs("/opq"), n => n.Contains("overlay."));
        Assert.Null(fs.GetXattr("/opq", "trusted.overlay.opaque"));
        Assert.Null(fs.GetXattr("/a", "user.none"));
    }

    [SkippableFact]
    public void Hard_links_in_a_lower_show_their_link_count()
    {
        RootOnly.Require();
        BuildRichLayers();
        var fs = _l.Engine();
        Assert.Equal(2UL, fs.Stat("/hard2").Stat.NLink);
        Assert.Equal(fs.Stat("/hard").Stat.Inode, fs.Stat("/hard2").Stat.Inode);
    }
}
