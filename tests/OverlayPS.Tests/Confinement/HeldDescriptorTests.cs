using System.Text;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Confinement;

/// <summary>
/// Issue 11's attacks on the engine by someone who can write inside a layer dir or a parent
/// of one, each judged by its effect on host canary files (<see cref="HostSentinel"/>):
/// nothing read from, written to, created or deleted on the host. Races run a fixed number of
/// operations against a <see cref="Swapper"/> thread, never for a time.
/// </summary>
public sealed class HeldDescriptorTests
{
    const int RaceOps = 3000;

    [SkippableFact]
    public void Layer_dirs_moved_away_and_replaced_by_a_link_to_the_host_keep_receiving_the_writes()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.L1.File("etc/hostname", "lower");
        var fs = l.Engine();
        var before = host.Fingerprint();
        // The attacker renames the parent of every layer dir away and links its name to the host.
        string moved = l.Base + ".moved";
        Directory.Move(l.Base, moved);
        File.CreateSymbolicLink(l.Base, host.Path);
        try
        {
            using (var s = fs.OpenWrite("/file", FileMode.CreateNew))
                s.Write("through the drive"u8);
            fs.Mkdir("/newdir");
            using (var s = fs.OpenWrite("/etc/hostname", FileMode.Truncate))
                s.Write("copied up"u8);
            Assert.Equal("copied up", new StreamReader(fs.OpenRead("/etc/hostname")).ReadToEnd());
            Assert.Equal(before, host.Fingerprint());
            Assert.Equal("through the drive", File.ReadAllText(Path.Combine(moved, "upper", "file")));
            Assert.True(Directory.Exists(Path.Combine(moved, "upper", "newdir")));
            Assert.Equal("copied up", File.ReadAllText(Path.Combine(moved, "upper", "etc", "hostname")));
        }
        finally
        {
            File.Delete(l.Base);
            Directory.Move(moved, l.Base);
        }
    }

    [SkippableFact]
    public void A_lower_dir_swapping_with_a_link_to_the_host_never_yields_host_content()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.L1.File("d/file", "union").Symlink("d-evil", host.Path);
        var fs = l.Engine();
        var before = host.Fingerprint();
        int read = 0;
        using (new Swapper(l.L1.Root, "d", "d-evil"))
        {
            for (int i = 0; i < RaceOps; i++)
            {
                try
                {
                    using var s = fs.OpenRead("/d/file");
                    Assert.Equal("union", new StreamReader(s).ReadToEnd());
                    read++;
                }
                catch (PosixException) { }      // ENOENT while the link stands there: fine
                try { Assert.DoesNotContain(fs.ReadDir("/d"), e => e.Name == "sub"); }
                catch (PosixException) { }
            }
        }
        Assert.Equal(before, host.Fingerprint());
        Assert.True(read > 0, "the union file was never read: the race did not run");
    }

    [SkippableFact]
    public void An_upper_dir_swapping_with_a_link_to_the_host_never_writes_or_deletes_there()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.L1.File("d/file", "lower");
        l.U.Dir("d").Symlink("d-evil", host.Path);
        var fs = l.Engine();
        var before = host.Fingerprint();
        using (new Swapper(l.U.Root, "d", "d-evil"))
        {
            for (int i = 0; i < RaceOps; i++)
            {
                try
                {
                    using (var s = fs.OpenWrite("/d/file", FileMode.Create))
                        s.Write("x"u8);
                }
                catch (PosixException) { }
                try { fs.Unlink("/d/file"); } catch (PosixException) { }
                try { fs.Chmod("/d/sub", 0x1FF); } catch (PosixException) { }
                try { fs.Unlink("/d/sub/deep"); } catch (PosixException) { }
            }
        }
        Assert.Equal(before, host.Fingerprint());
    }

    [SkippableFact]
    public void Leftover_cleanup_never_follows_a_dir_swapped_for_a_link()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.L1.File("f", "x");
        var before = host.Fingerprint();
        string work = Path.Combine(l.Work, "work");
        for (int round = 0; round < 30; round++)
        {
            // A leftover of a dead process (pid above the kernel's pid_max), holding a tree.
            string leftover = Path.Combine(work, $"#ovlps.4194305.{round}");
            Directory.CreateDirectory(Path.Combine(leftover, "a", "b", "c"));
            for (int i = 0; i < 50; i++)
                File.WriteAllText(Path.Combine(leftover, "a", "b", $"f{i}"), "leftover");
            File.CreateSymbolicLink(Path.Combine(leftover, "a-evil"), host.Path);
            using (new Swapper(leftover, "a", "a-evil"))
                new OverlayFs(l.Stack()).Dispose();
            Assert.Equal(before, host.Fingerprint());
        }
    }

    [SkippableFact]
    public void Rmdir_never_deletes_what_a_concurrent_writer_put_in_the_directory()
    {
        RootOnly.Require();
        using var l = new Union.Layers();
        l.L1.File("d/x", "lower");
        var fs = l.Engine();
        fs.Mkdir("/d-made");                    // warm up the work dir
        fs.RemoveTree("/d");
        fs.Mkdir("/d");                         // opaque over the lower d: empty in the union
        string upperD = l.U.P("d");
        var created = new List<string>();
        var stop = false;
        var writer = new Thread(() =>
        {
            for (int n = 0; !Volatile.Read(ref stop); n++)
            {
                string f = Path.Combine(upperD, $"w{n}");
                try
                {
                    using (new FileStream(f, FileMode.CreateNew)) { }
                    lock (created) created.Add($"w{n}");
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }) { IsBackground = true };
        writer.Start();
        int removed = 0;
        try
        {
            for (int i = 0; i < RaceOps; i++)
            {
                try { fs.Rmdir("/d"); removed++; }
                catch (PosixException e) when (e.Errno is Errno.ENOTEMPTY or Errno.ENOENT) { }
                if (fs.Lookup("/d") is null)
                    fs.Mkdir("/d");
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            writer.Join();
        }
        // Every file the writer made is still where it made it: an rmdir that succeeded found
        // the directory empty, and one that raced a writer put the directory back.
        lock (created)
        {
            Assert.NotEmpty(created);
            var lost = created.Where(n => !File.Exists(Path.Combine(upperD, n))).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {created.Count} files lost ({removed} rmdirs succeeded)");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(l.Work, "work")));
    }

    [SkippableFact]
    public void A_layer_dir_given_as_a_symlink_is_followed_once_at_open_and_reported_resolved()
    {
        RootOnly.Require();
        using var l = new Union.Layers();
        l.L1.File("etc/hostname", "from the real dir");
        string link = Path.Combine(l.Base, "lower-link");
        File.CreateSymbolicLink(link, l.L1.Root);
        using var fs = new OverlayFs(new LayerStack(new[] { link, l.L2.Root }, l.U.Root, l.Work));
        Assert.Equal(new[] { "etc" }, fs.ReadDir("/").Select(e => e.Name).ToArray());
        Assert.Equal("from the real dir", new StreamReader(fs.OpenRead("/etc/hostname")).ReadToEnd());
        Assert.Equal(l.L1.Root, fs.Stat("/etc").Layer.Root);
        // Re-pointed afterwards: the stack keeps the directory it opened, as a mount does.
        File.Delete(link);
        File.CreateSymbolicLink(link, l.L3.Root);
        Assert.Equal("from the real dir", new StreamReader(fs.OpenRead("/etc/hostname")).ReadToEnd());
    }

    [SkippableFact]
    public void A_tree_deeper_than_PATH_MAX_is_removed_as_rm_rf_on_a_mount_removes_it()
    {
        RootOnly.Require();
        using var l = new Union.Layers();
        string name = new('n', 200);
        // 30 levels of 200-byte names: 6 KB of path, more than PATH_MAX (4096). Made through
        // descriptors, as nothing can create it by path.
        var dir = DirHandle.OpenRoot(l.L1.Root);
        dir.Mkdir("top", 0x1ED);
        dir = dir.OpenDir("top");
        for (int i = 0; i < 30; i++)
        {
            dir.Mkdir(name, 0x1ED);
            dir = dir.OpenDir(name);
        }
        using (var f = dir.OpenFile("leaf", OpenFlags.O_WRONLY | OpenFlags.O_CREAT, 0x1A4)) { }
        var fs = l.Engine();
        string deep = "/top" + string.Concat(Enumerable.Repeat("/" + name, 30)) + "/leaf";
        // One call takes at most PATH_MAX bytes of path, as a system call on a mount does...
        Assert.Equal(Errno.ENAMETOOLONG, Assert.Throws<PosixException>(() => fs.Stat(deep)).Errno);
        // ...but removing the tree walks it by descriptors, as rm -rf on a mount does.
        fs.RemoveTree("/top");
        Assert.Null(fs.Lookup("/top"));
        Assert.True(Files.LStat(l.U.P("top")).IsCharDevice00);
        using var lower = DirHandle.OpenRoot(l.L1.Root);
        WorkDir.RemoveTree(lower, "top");       // .NET cannot delete it by path

    }

    [SkippableFact]
    public void Cached_directories_hold_at_most_the_stated_descriptor_budget()
    {
        RootOnly.Require();
        using var l = new Union.Layers();
        for (int i = 0; i < 300; i++)
        {
            l.L1.Dir($"d{i}/x");
            l.L2.Dir($"d{i}/x");
        }
        var fs = l.Engine(options: new OverlayFsOptions { CacheDescriptorBudget = 64 });
        var visited = new List<string>();
        foreach (var e in fs.ReadDir("/"))
        {
            fs.ReadDir(e.Path + "/x").ToList();
            visited.Add(e.Path + "/x");
            Assert.InRange(fs.CachedDescriptors, 1, 64);
        }
        // The most recently used are the ones kept: the last directory is still cached.
        Assert.Equal(300, visited.Count);
        Assert.True(fs.IsCached(visited[^1]));
        Assert.False(fs.IsCached(visited[0]));
    }

    [SkippableFact]
    public void A_stack_served_from_held_roots_never_opens_its_paths()
    {
        RootOnly.Require();
        using var host = new HostSentinel();
        using var l = new Union.Layers();
        l.L1.File("file", "held layer");
        var held = DirHandle.OpenRoot(l.L1.Root);
        // The path the stack names is a link to the host: only the held directory is served.
        string named = Path.Combine(l.Base, "named");
        File.CreateSymbolicLink(named, host.Path);
        using var fs = new OverlayFs(new LayerStack(new[] { named }), null, new LayerRoots(new TopmostFirst<DirHandle>(new[] { held })));
        Assert.Equal("held layer", new StreamReader(fs.OpenRead("/file")).ReadToEnd());
        Assert.Equal(new[] { "file" }, fs.ReadDir("/").Select(e => e.Name).ToArray());
        Assert.Throws<ArgumentException>(() => new OverlayFs(new LayerStack(new[] { named, named + "2" }), null, new LayerRoots(new TopmostFirst<DirHandle>(new[] { held }))));
    }

    [SkippableFact]
    public void A_held_directory_never_names_its_parent()
    {
        RootOnly.Require();
        using var l = new Union.Layers();
        l.L1.Dir("d").File("secret-sibling", "x");
        using var d = DirHandle.OpenRoot(l.L1.P("d"));
        Assert.Equal(Errno.EINVAL, Assert.Throws<PosixException>(() => d.OpenDir("..")).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<PosixException>(() => d.OpenFile("..", OpenFlags.O_RDONLY).Dispose()).Errno);
        Assert.Equal(Errno.EXDEV, Assert.Throws<PosixException>(() => d.OpenBeneath("../d")).Errno);
        Assert.Equal(Errno.EXDEV, Assert.Throws<PosixException>(() => d.OpenFileBeneath("../secret-sibling", OpenFlags.O_RDONLY).Dispose()).Errno);
    }
}
