using OverlayPS.Tests.Differential;
using Native = Mono.Unix.Native;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// Stacks the kernel wrote with redirect_dir=on and metacopy=on (Fedora's rootful podman mounts
/// with metacopy=on): a lower dir renamed in place (relative redirect), a lower subdir moved
/// into a new dir (absolute redirect), lower files chmod-ed (metacopy: metadata only), one of
/// them then renamed (metacopy with an absolute redirect). The engine reads the dirs the kernel
/// left as the kernel reads them: with MetaCopy as a mount with metacopy=on, without it as a
/// default mount (redirects followed, a metacopy file refused with EPERM).
/// </summary>
public sealed class RedirectMetacopyReadTests
{
    static void BuildAndWriteWithKernel(Layers l)
    {
        l.L1.Dir("a/sub").File("a/sub/f", "deep data").File("file", "meta data").File("moved", "moved data")
            .File("written", "old data");
        l.L2.Dir("x").File("x/y", "x data").File("file", "hidden below");
        using var k = Mount(l, "redirect_dir=on,metacopy=on,index=off");
        var m = k.MountPoint;
        Directory.Move(m + "/a", m + "/b");                      // relative redirect "a"
        Directory.CreateDirectory(m + "/n");
        Directory.Move(m + "/b/sub", m + "/n/sub2");             // absolute redirect "/a/sub"
        Directory.Move(m + "/x", m + "/xx");
        Files.Chmod(m + "/file", 0x180);                         // metacopy
        Files.Chmod(m + "/moved", 0x180);
        File.Move(m + "/moved", m + "/n/moved2");                // metacopy + redirect "/moved"
        Files.Chmod(m + "/written", 0x180);
    }

    static KernelOverlay Mount(Layers l, string options) =>
        new(l.Stack(lowers: 2), Path.Combine(l.Base, "mnt-opts"), options);

    [SkippableFact]
    public void With_metacopy_the_engine_reads_what_a_metacopy_mount_shows()
    {
        RootOnly.Require();
        using var l = new Layers();
        BuildAndWriteWithKernel(l);
        Assert.NotNull(Xattrs.Get(l.U.P("file"), "trusted.overlay.metacopy"));     // the kernel did write one
        Assert.Equal("/a/sub", Xattrs.GetString(l.U.P("n/sub2"), "trusted.overlay.redirect"));

        SortedDictionary<string, string> kernelTree;
        using (var k = Mount(l, "redirect_dir=on,metacopy=on,index=off"))
            kernelTree = TreeSnapshot.FromHost(k.MountPoint);
        using var fs = new OverlayFs(l.Stack(lowers: 2), new OverlayFsOptions { MetaCopy = true });
        TreeSnapshot.AssertSame(kernelTree, TreeSnapshot.FromEngine(fs), "merged tree");
        Assert.Equal("deep data", new StreamReader(fs.OpenRead("/n/sub2/f")).ReadToEnd());
        Assert.Equal("meta data", new StreamReader(fs.OpenRead("/file")).ReadToEnd());
        Assert.Equal("moved data", new StreamReader(fs.OpenRead("/n/moved2")).ReadToEnd());
        Assert.Equal(0x180u, fs.Stat("/file").Stat.Mode);
    }

    [SkippableFact]
    public void A_write_to_a_metacopy_file_completes_its_data_as_the_kernel_does()
    {
        RootOnly.Require();
        using var l = new Layers();
        BuildAndWriteWithKernel(l);
        using (var fs = new OverlayFs(l.Stack(lowers: 2), new OverlayFsOptions { MetaCopy = true }))
        {
            using (var s = fs.OpenWrite("/written", FileMode.Append))
                s.Write(" + new"u8);
            Assert.Equal("old data + new", new StreamReader(fs.OpenRead("/written")).ReadToEnd());
        }
        Assert.Null(Xattrs.Get(l.U.P("written"), "trusted.overlay.metacopy"));
        Assert.Equal("old data + new", File.ReadAllText(l.U.P("written")));
        using var k = Mount(l, "redirect_dir=on,metacopy=on,index=off");
        Assert.Equal("old data + new", File.ReadAllText(k.MountPoint + "/written"));
        Assert.Equal("meta data", File.ReadAllText(k.MountPoint + "/file"));
    }

    [SkippableFact]
    public void Without_metacopy_redirects_are_followed_and_metacopy_files_refused_as_by_a_default_mount()
    {
        RootOnly.Require();
        using var l = new Layers();
        BuildAndWriteWithKernel(l);
        Errno kernelErrno;
        SortedDictionary<string, string> kernelDirs;
        using (var k = Mount(l, "index=off"))
        {
            kernelErrno = Native.Syscall.lstat(k.MountPoint + "/file", out _) == 0 ? 0 : MonoVocabulary.LastError();
            kernelDirs = TreeSnapshot.FromHost(k.MountPoint + "/n/sub2");
        }
        Assert.Equal(Errno.EPERM, kernelErrno);
        using var fs = new OverlayFs(l.Stack(lowers: 2));
        Assert.Equal(kernelErrno, Assert.Throws<PosixException>(() => fs.Stat("/file")).Errno);
        Assert.Equal("deep data", new StreamReader(fs.OpenRead("/n/sub2/f")).ReadToEnd());
        Assert.Equal(kernelDirs.Keys, fs.ReadDir("/n/sub2").Select(e => "/" + e.Name).Prepend("/").Order(StringComparer.Ordinal));
        Assert.Empty(fs.ReadDir("/b"));
        Assert.Equal("x data", new StreamReader(fs.OpenRead("/xx/y")).ReadToEnd());
    }
}

/// <summary>
/// The other direction: the engine writing with RedirectDir and MetaCopy leaves in the upper
/// dir what the kernel leaves with redirect_dir=on,metacopy=on for the same calls (cache
/// xattrs aside), shows the same tree, and its dirs mounted by the kernel show that tree.
/// </summary>
public sealed class RedirectMetacopyWriteTests
{
    const string Options = "redirect_dir=on,metacopy=on,index=off";

    static void Build(Layers l)
    {
        l.L1.Dir("a/sub").File("a/sub/f", "deep data").File("a/keep", "kept").File("file", "meta data")
            .File("moved", "moved data").File("written", "old data").File("owned", "owned data");
        l.L2.Dir("x").File("x/y", "x data");
        KernelComparison.Age(l);
    }

    [SkippableFact]
    public void Renames_of_lower_dirs_and_metadata_changes_leave_what_the_kernel_leaves()
    {
        RootOnly.Require();
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        using var lk = new Layers();
        Build(lk);
        SortedDictionary<string, string> kernelTree;
        using (var k = new KernelOverlay(lk.Stack(lowers: 2), Path.Combine(lk.Base, "mnt-opts"), Options))
        {
            var m = k.MountPoint;
            Directory.Move(m + "/a", m + "/b");
            Directory.CreateDirectory(m + "/n");
            Directory.Move(m + "/b/sub", m + "/n/sub2");
            Files.Chmod(m + "/file", 0x180);
            Files.Chmod(m + "/moved", 0x180);
            File.Move(m + "/moved", m + "/n/moved2");
            Files.LChown(m + "/owned", 1000, 1000);
            Files.Chmod(m + "/written", 0x180);
            File.AppendAllText(m + "/written", " + new");
            Directory.Move(m + "/x", m + "/n/xx");
            kernelTree = TreeSnapshot.FromHost(m, since);
        }

        using var le = new Layers();
        Build(le);
        SortedDictionary<string, string> engineTree;
        using (var fs = new OverlayFs(le.Stack(lowers: 2), new OverlayFsOptions { RedirectDir = true, MetaCopy = true }))
        {
            fs.Rename("/a", "/b");
            fs.Mkdir("/n", 0x1ED);
            fs.Rename("/b/sub", "/n/sub2");
            fs.Chmod("/file", 0x180);
            fs.Chmod("/moved", 0x180);
            fs.Rename("/moved", "/n/moved2");
            fs.Chown("/owned", 1000, 1000);
            fs.Chmod("/written", 0x180);
            using (var s = fs.OpenWrite("/written", FileMode.Append))
                s.Write(" + new"u8);
            fs.Rename("/x", "/n/xx");
            engineTree = TreeSnapshot.FromEngine(fs, since);
        }

        TreeSnapshot.AssertSame(kernelTree, engineTree, "merged tree");
        TreeSnapshot.AssertSame(TreeSnapshot.FromHost(lk.U.Root, since, upperDir: true), TreeSnapshot.FromHost(le.U.Root, since, upperDir: true), "upper dir");
        Assert.Equal("/a/sub", Xattrs.GetString(le.U.P("n/sub2"), "trusted.overlay.redirect"));
        Assert.NotNull(Xattrs.Get(le.U.P("file"), "trusted.overlay.metacopy"));
        using var after = new KernelOverlay(le.Stack(lowers: 2), Path.Combine(le.Base, "mnt-opts"), Options);
        TreeSnapshot.AssertSame(engineTree, TreeSnapshot.FromHost(after.MountPoint, since), "engine's dirs mounted by the kernel");
    }
}
