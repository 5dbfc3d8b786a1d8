using System.Text;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Confinement;

/// <summary>
/// The engine API against a stack whose lowers and upper hold links out of the union
/// (<see cref="HostileStack"/>): every read and write through them either fails with the errno
/// the path has inside the union or acts on the union's own copy (in the upper dir), and the
/// host directory they name keeps the same fingerprint. Kernel mounts differ here on purpose
/// (they follow such links on the host).
/// </summary>
public sealed class EngineConfinementTests
{
    static Errno ErrnoOf(Action a) => Assert.Throws<PosixException>(a).Errno;

    static string Read(IUnionFileSystem fs, string path)
    {
        using var r = new StreamReader(fs.OpenRead(path));
        return r.ReadToEnd();
    }

    [SkippableFact]
    public void Reads_through_hostile_links_never_see_the_host()
    {
        RootOnly.Require();
        using var h = new HostileStack();
        var before = h.Host.Fingerprint();
        var fs = h.L.Engine();
        foreach (var way in h.WaysToTheSentinel())
        {
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.OpenRead(way + "/file").Dispose()));
            Assert.Null(fs.Lookup(way + "/file"));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.ReadDir(way).ToList()));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.ResolvePath(way + "/sub/deep")));
        }
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.OpenRead("/data/fl").Dispose()));
        // The union's /etc is the link itself: following it loops, it never reaches the host's.
        foreach (var p in new[] { "/etc/passwd", "/uetc/passwd", "/x/etc/passwd", "/up/uetc/passwd" })
            Assert.Equal(Errno.ELOOP, ErrnoOf(() => fs.OpenRead(p).Dispose()));
        Assert.Equal(Errno.ELOOP, ErrnoOf(() => fs.OpenRead("/loop").Dispose()));
        Assert.Equal("/", fs.ResolvePath("/up/uup/x/ux/../.."));
        Assert.Equal("/data/f", fs.Stat("/x/ux/up/data/f").Path);
        Assert.StartsWith(h.L.L2.Root + "/", fs.Stat("/uup/data/f").RealPath);
        Assert.Equal(before, h.Host.Fingerprint());
    }

    [SkippableFact]
    public void Reads_through_hostile_links_reach_the_unions_own_copy()
    {
        RootOnly.Require();
        using var h = new HostileStack(unionHasItsOwnCopy: true);
        var before = h.Host.Fingerprint();
        var fs = h.L.Engine();
        foreach (var way in h.WaysToTheSentinel())
        {
            Assert.Equal("union copy", Read(fs, way + "/file"));
            Assert.Equal(h.Host.Path, fs.ResolvePath(way));
            Assert.Equal(new[] { "file", "sub" }, fs.ReadDir(way).Select(e => e.Name).Order());
            Assert.StartsWith(h.L.L3.Root + "/", fs.Stat(way + "/file").RealPath);
            Assert.Empty(fs.ReadDir(way + "/sub"));     // the host's sub/deep is not there
        }
        Assert.Equal("union copy", Read(fs, "/data/fl"));
        Assert.Equal(before, h.Host.Fingerprint());
    }

    [SkippableFact]
    public void Writes_through_hostile_links_land_in_the_upper_dir()
    {
        RootOnly.Require();
        using var h = new HostileStack(unionHasItsOwnCopy: true);
        var before = h.Host.Fingerprint();
        var fs = h.L.Engine();
        var ways = h.WaysToTheSentinel().ToList();
        for (int i = 0; i < ways.Count; i++)
        {
            var w = ways[i];
            using (var s = fs.OpenWrite($"{w}/new{i}", FileMode.CreateNew))
                s.Write(Encoding.UTF8.GetBytes("written"));
            using (var s = fs.OpenWrite(w + "/file", FileMode.Append))
                s.Write(Encoding.UTF8.GetBytes($"+{i}"));
            fs.Mkdir($"{w}/dir{i}");
            fs.Symlink("/etc/passwd", $"{w}/link{i}");
            fs.MkFifo($"{w}/fifo{i}");
            fs.Link(w + "/file", $"{w}/hard{i}");
            fs.Chmod(w + "/file", 0x1C0);
            fs.Chown(w + "/file", 65534, 65534);
            fs.SetTimes(w + "/file", new PosixTime(1, 0), new PosixTime(2, 0));
            fs.SetXattr(w + "/file", "user.qa", new byte[] { 1 });
            fs.RemoveXattr(w + "/file", "user.qa");
            fs.Rename($"{w}/new{i}", $"{w}/renamed{i}");
            Assert.True(File.Exists(h.L.U.P($"{h.Host.Relative}/renamed{i}")), w);
            Assert.True(Directory.Exists(h.L.U.P($"{h.Host.Relative}/dir{i}")), w);
        }
        using (var s = fs.OpenWrite("/data/fl", FileMode.Truncate))    // a final link to a host file
            s.Write(Encoding.UTF8.GetBytes("through the file link"));
        fs.Truncate("/sent/file", 4);
        Assert.Equal("thro", File.ReadAllText(h.L.U.P(h.Host.Relative + "/file")));
        fs.Unlink("/chain2/renamed0");
        fs.RemoveTree("/x" + h.Host.Path + "/sub");
        // Removing a link removes the link, never what it names.
        fs.RemoveTree("/usent");
        fs.RemoveTree("/sent");
        fs.Unlink("/uetc");
        Assert.Null(fs.Lookup("/usent"));
        Assert.Null(fs.Lookup("/sent"));
        Assert.NotNull(fs.Lookup(h.Host.Path + "/renamed1"));
        Assert.Equal(before, h.Host.Fingerprint());
        Assert.True(File.Exists("/etc/passwd"));
    }

    [SkippableFact]
    public void Writes_through_hostile_links_fail_when_the_union_has_no_such_path()
    {
        RootOnly.Require();
        using var h = new HostileStack();
        var before = h.Host.Fingerprint();
        var upperBefore = Directory.EnumerateFileSystemEntries(h.L.U.Root).Order().ToList();
        var fs = h.L.Engine();
        foreach (var w in h.WaysToTheSentinel())
        {
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.OpenWrite(w + "/file", FileMode.Create).Dispose()));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.OpenWrite(w + "/new", FileMode.CreateNew).Dispose()));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Mkdir(w + "/dir")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Symlink("/", w + "/link")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.MkFifo(w + "/fifo")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Link("/data/f", w + "/hard")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Link(w + "/file", "/hard")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Rename("/data/f", w + "/moved")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Rename(w + "/file", "/moved")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Truncate(w + "/file", 0)));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Chmod(w + "/file", 0x1FF)));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Chown(w + "/file", 65534, 65534)));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.SetXattr(w + "/file", "user.qa", new byte[] { 1 })));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Unlink(w + "/file")));
            Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.RemoveTree(w + "/sub")));
        }
        // O_CREAT through a dangling link to a host file creates its target inside the union:
        // here its directory is missing there.
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.OpenWrite("/data/fl", FileMode.Create).Dispose()));
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Truncate("/data/fl", 0)));
        // A hard link to the host's /etc/passwd: the name is resolved in the union, where /etc
        // is a link to itself.
        foreach (var p in new[] { "/etc/passwd", "/uetc/passwd", "/x/etc/passwd" })
        {
            Assert.Equal(Errno.ELOOP, ErrnoOf(() => fs.Link(p, "/hard")));
            Assert.Equal(Errno.ELOOP, ErrnoOf(() => fs.OpenWrite(p, FileMode.Append).Dispose()));
            Assert.Equal(Errno.ELOOP, ErrnoOf(() => fs.Mkdir(p + ".d")));
        }
        Assert.Equal(upperBefore, Directory.EnumerateFileSystemEntries(h.L.U.Root).Order().ToList());
        Assert.Equal(before, h.Host.Fingerprint());
    }

    [SkippableFact]
    public void A_hard_link_names_a_union_file_never_a_host_file()
    {
        RootOnly.Require();
        using var h = new HostileStack();
        h.L.L3.Dir("srv").File("srv/passwd", "union passwd");
        var before = h.Host.Fingerprint();
        var fs = h.L.Engine();
        // Absolute and climbing names of host files resolve in the union: ENOENT there.
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Link(h.Host.Path + "/file", "/hard")));
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => fs.Link("/../../../.." + h.Host.Path + "/file", "/hard")));
        fs.Link("/x/up/srv/passwd", "/hard");
        Assert.Equal("union passwd", Read(fs, "/hard"));
        Assert.Equal(2UL, Files.LStat(h.L.U.P("hard")).NLink);          // with its copied-up source
        Assert.Equal(before, h.Host.Fingerprint());
    }

    [SkippableFact]
    public void A_read_only_stack_writes_nothing_anywhere()
    {
        RootOnly.Require();
        using var h = new HostileStack(unionHasItsOwnCopy: true);
        var before = h.Host.Fingerprint();
        var fs = h.L.Engine(withUpper: false);
        // The upper's links are gone with the upper.
        foreach (var w in h.WaysToTheSentinel().Where(w => !(w.StartsWith("/usent") || w.StartsWith("/ux/") || w.StartsWith("/uup/"))))
        {
            Assert.Equal(Errno.EROFS, ErrnoOf(() => fs.OpenWrite(w + "/file", FileMode.Append).Dispose()));
            Assert.Equal(Errno.EROFS, ErrnoOf(() => fs.OpenWrite(w + "/new", FileMode.CreateNew).Dispose()));
            Assert.Equal(Errno.EROFS, ErrnoOf(() => fs.Mkdir(w + "/dir")));
            Assert.Equal(Errno.EROFS, ErrnoOf(() => fs.Unlink(w + "/file")));
            Assert.Equal(Errno.EROFS, ErrnoOf(() => fs.RemoveTree(w)));
        }
        Assert.Equal(before, h.Host.Fingerprint());
    }

    [SkippableFact]
    public void Copying_a_tree_follows_links_inside_the_union_only()
    {
        RootOnly.Require();
        using var h = new HostileStack(unionHasItsOwnCopy: true);
        var before = h.Host.Fingerprint();
        var fs = h.L.Engine();
        var side = new UnionTreeSide(fs);
        // Copy-Item's options: what a link points to is copied, and it is the union's copy.
        new TreeCopy(side, side, new TreeCopyOptions(Recurse: true, KeepMetadata: false, Overwrite: true, FollowSymlinks: true))
            .Copy("/chain2", "/copied");
        Assert.Equal("union copy", Read(fs, "/copied/file"));
        Assert.Empty(fs.ReadDir("/copied/sub"));
        // Copy-OverlayItem's: links stay links, their text unchanged and not followed.
        using var outDir = new TempDir("ovlps-copy-out");
        new TreeCopy(side, HostTreeSide.Instance, new TreeCopyOptions(Recurse: true, KeepMetadata: true, Overwrite: false))
            .Copy("/", outDir.Path + "/tree");
        Assert.Equal(h.Host.Path, Files.ReadLink(outDir.Path + "/tree/usent"));
        Assert.Equal("/etc", Files.ReadLink(outDir.Path + "/tree/etc"));
        Assert.Equal("union copy", File.ReadAllText(outDir.Path + "/tree" + h.Host.Path + "/file"));
        Assert.Equal(before, h.Host.Fingerprint());
    }
}

/// <summary>The engine keeps resolved directories between calls (DirectoryCache). A directory
/// of the upper swapped for a link to the host behind the engine's back (a kernel mount or
/// another process writing the same upper) must not let a later call reach the host through the
/// kept node.</summary>
public sealed class CachedDirectoryConfinementTests
{
    [SkippableFact]
    public void An_upper_dir_swapped_for_a_link_to_the_host_is_not_written_through()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.U.Dir("a/sub").File("a/sub/f", "union");
        l.L1.Dir("keep");
        Directory.CreateDirectory(Path.Combine(host.Path, "sub"));
        var before = host.Fingerprint();
        var fs = l.Engine();
        Assert.Equal("union", new StreamReader(fs.OpenRead("/a/sub/f")).ReadToEnd());   // /a and /a/sub kept
        // Behind the engine's back: upper/a becomes a link to the host dir (which has sub/).
        Directory.Move(l.U.P("a"), l.U.P("a-moved"));
        Files.Symlink(host.Path, l.U.P("a"));
        Assert.Equal(Errno.ENOENT, Assert.Throws<PosixException>(() => fs.OpenWrite("/a/sub/new", FileMode.CreateNew).Dispose()).Errno);
        Assert.Equal(Errno.ENOENT, Assert.Throws<PosixException>(() => fs.Mkdir("/a/sub/dir")).Errno);
        Assert.Null(fs.Lookup("/a/sub"));
        Assert.Equal(before, host.Fingerprint());
    }
}

/// <summary>The same for a lower layer's directory: undefined for the kernel (which holds its
/// dentries for good), and never a way to the host's files: a kept directory's lower copies are
/// held open, so a swap of the path after the first lookup changes nothing, at once (no
/// re-check window).</summary>
public sealed class CachedLowerDirConfinementTests
{
    [SkippableFact]
    public void A_lower_dir_swapped_for_a_link_to_the_host_is_not_read_through()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.L1.Dir("d").File("d/f", "union");
        var fs = l.Engine();
        Assert.Equal("union", new StreamReader(fs.OpenRead("/d/f")).ReadToEnd());   // /d kept
        Directory.Move(l.L1.P("d"), l.L1.P("d-moved"));
        Files.Symlink(host.Path, l.L1.P("d"));
        var before = host.Fingerprint();
        Assert.Equal(Errno.ENOENT, Assert.Throws<PosixException>(() => fs.OpenRead("/d/file").Dispose()).Errno);
        Assert.Equal(Errno.ENOENT, Assert.Throws<PosixException>(() => fs.OpenWrite("/d/file", FileMode.Append).Dispose()).Errno);
        Assert.Null(fs.Lookup("/d/sub"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(l.U.Root));     // nothing copied up from the host
        Assert.Equal(before, host.Fingerprint());
    }
}
