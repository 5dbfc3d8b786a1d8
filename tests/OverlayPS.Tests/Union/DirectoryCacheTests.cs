using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// The engine's directory cache (DirectoryCache, the dentry-cache analogue that makes a lookup
/// cost one failed lstat per layer): whatever the engine itself writes is seen by the very next
/// call, stats are never stale, and a cached engine answers exactly as an uncached one.
/// </summary>
public class DirectoryCacheTests : IDisposable
{
    readonly Layers _l = new(userXattr: LayerStack.DefaultUserXattr);
    public void Dispose() => _l.Dispose();

    /// <summary>Two lowers: merged /a and /a/b, and /a/c opaque in lower1 over lower2's /a/c/deep.</summary>
    LayerStack Build()
    {
        _l.L2.File("a/b/f", "base").File("a/b/g", "base").Dir("a/c/deep");
        _l.L1.File("a/b/h", "one").Opaque("a/c").File("a/c/own", "own").Symlink("a/l", "b");
        return _l.Stack(lowers: 2);
    }

    [Fact]
    public void A_directory_removed_and_made_again_hides_what_the_cache_had_seen_below_it()
    {
        var fs = new OverlayFs(Build());
        Assert.NotNull(fs.Lookup("/a/b/f"));            // /a and /a/b are now cached
        fs.RemoveTree("/a/b");                          // leaves a whiteout in upper
        Assert.Null(fs.Lookup("/a/b"));
        Assert.Null(fs.Lookup("/a/b/f"));
        fs.Mkdir("/a/b");                               // over the whiteout: an opaque dir
        var b = fs.Stat("/a/b");
        Assert.True(b.IsOpaque);
        Assert.Equal("upper", b.Layer.Name);
        Assert.Null(fs.Lookup("/a/b/f"));               // the lower copy stays hidden
        Assert.Empty(fs.ReadDir("/a/b"));
    }

    [Fact]
    public void Copy_up_of_a_parent_is_seen_by_the_next_lookup()
    {
        var fs = new OverlayFs(Build());
        Assert.Equal("lower1", fs.Stat("/a").Layer.Name);
        fs.Mkdir("/a/new");                             // copies /a up first
        var a = fs.Stat("/a");
        Assert.Equal("upper", a.Layer.Name);
        Assert.True(a.IsMerged);
        Assert.Equal("upper", fs.Stat("/a/new").Layer.Name);
        Assert.NotNull(fs.Lookup("/a/b/f"));            // the lowers still merge below it
    }

    [Fact]
    public void A_renamed_directory_is_found_under_its_new_name_only()
    {
        var fs = new OverlayFs(Build());
        fs.Mkdir("/x");
        using (var s = fs.OpenWrite("/x/y", FileMode.CreateNew)) s.WriteByte(1);
        Assert.NotNull(fs.Lookup("/x/y"));
        fs.Rename("/x", "/z");
        Assert.Null(fs.Lookup("/x"));
        Assert.Null(fs.Lookup("/x/y"));
        Assert.NotNull(fs.Lookup("/z/y"));
    }

    [Fact]
    public void A_cached_directory_still_reports_its_current_stat()
    {
        var stack = Build();
        var fs = new OverlayFs(stack);
        fs.Mkdir("/d");
        Assert.NotNull(fs.Lookup("/d"));                // cached
        Thread.Sleep(20);
        using (var s = fs.OpenWrite("/d/new", FileMode.CreateNew)) s.WriteByte(1);
        var onDisk = Files.LStat(stack.Upper + "/d");
        var seen = fs.Stat("/d").Stat;
        Assert.Equal(onDisk.MTime.Seconds, seen.MTime.Seconds);
        Assert.Equal(onDisk.MTime.Nanoseconds, seen.MTime.Nanoseconds);
        // And through a path that reaches it from a cached child and "..".
        var viaParent = fs.Stat("/d/../d").Stat;
        Assert.Equal(onDisk.MTime.Nanoseconds, viaParent.MTime.Nanoseconds);
    }

    [Fact]
    public void Cached_and_uncached_engines_list_the_same_tree()
    {
        var stack = Build();
        var cached = new OverlayFs(stack);
        var plain = new OverlayFs(stack, new OverlayFsOptions { CacheDirectories = false });
        var first = Walk(cached);
        Assert.Equal(Walk(plain), first);
        Assert.Equal(first, Walk(cached));              // a second, fully cached walk
        Assert.Contains("/a/c/own file lower1 False False", first);
        Assert.DoesNotContain(first, l => l.StartsWith("/a/c/deep", StringComparison.Ordinal));
    }

    [Fact]
    public void A_directory_added_to_the_upper_behind_the_engine_is_seen_at_once_cached_or_not()
    {
        var stack = Build();
        var plain = new OverlayFs(stack, new OverlayFsOptions { CacheDirectories = false });
        var cached = new OverlayFs(stack);
        Assert.Null(plain.Lookup("/a/b/sub"));
        Assert.Null(cached.Lookup("/a/b/sub"));         // /a and /a/b are now cached, lower only
        Directory.CreateDirectory(stack.Upper + "/a/b/sub");   // behind both engines' backs
        Assert.NotNull(plain.Lookup("/a/b/sub"));
        Assert.NotNull(cached.Lookup("/a/b/sub"));
        Assert.Equal("upper", cached.Stat("/a/b").Layer.Name);
    }

    [Fact]
    public void A_second_engine_on_the_same_dirs_deleting_and_remaking_a_directory_is_seen_by_the_first()
    {
        var stack = Build();
        var first = new OverlayFs(stack);
        var second = new OverlayFs(stack);
        Assert.NotNull(first.Lookup("/a/b/f"));         // /a, /a/b cached in the first: lowers only
        Assert.Equal("lower1", first.Stat("/a").Layer.Name);
        second.RemoveTree("/a/b");
        second.Mkdir("/a/b");                           // opaque, over the whiteout
        using (var w = second.OpenWrite("/a/b/new", FileMode.CreateNew)) w.WriteByte(1);
        Assert.Equal("upper", first.Stat("/a").Layer.Name);
        Assert.Null(first.Lookup("/a/b/f"));
        Assert.True(first.Stat("/a/b").IsOpaque);
        Assert.Equal(new[] { "new" }, first.ReadDir("/a/b").Select(e => e.Name));

        // Once more with the upper copy already there: rmdir + mkdir makes a new inode.
        Assert.NotNull(first.Lookup("/a/b/new"));       // cached again, now with its upper copy
        second.RemoveTree("/a/b");
        second.Mkdir("/a/b");
        Assert.Null(first.Lookup("/a/b/new"));
        Assert.Empty(first.ReadDir("/a/b"));
    }

    [SkippableFact]
    public void Writes_through_a_kernel_mount_of_the_same_dirs_are_seen_by_the_engine()
    {
        RootOnly.Require("mounting the same stack with the kernel");
        var stack = Build();
        var fs = new OverlayFs(stack);
        Assert.Equal(new[] { "f", "g", "h" }, fs.ReadDir("/a/b").Select(e => e.Name).Order());
        Assert.NotNull(fs.Lookup("/a/c/own"));          // /a, /a/b, /a/c cached
        using (var k = _l.Kernel(lowers: 2))
        {
            File.WriteAllText(k["/a/b/f"], "kernel");   // copy-up of /a, /a/b and f
            File.Delete(k["/a/b/g"]);                   // a whiteout
            Directory.Delete(k["/a/c"], recursive: true);
            Directory.CreateDirectory(k["/a/c"]);       // opaque over the whiteout
        }
        Assert.Equal("upper", fs.Stat("/a/b").Layer.Name);
        Assert.Equal(new[] { "f", "h" }, fs.ReadDir("/a/b").Select(e => e.Name).Order());
        using (var r = new StreamReader(fs.OpenRead("/a/b/f")))
            Assert.Equal("kernel", r.ReadToEnd());
        Assert.Null(fs.Lookup("/a/c/own"));
        Assert.Empty(fs.ReadDir("/a/c"));
    }

    static List<string> Walk(IUnionFileSystem fs)
    {
        var lines = new List<string>();
        var pending = new Stack<string>();
        pending.Push("/");
        while (pending.Count > 0)
            foreach (var e in fs.ReadDir(pending.Pop()))
            {
                lines.Add($"{e.Path} {e.Kind.ToString().ToLowerInvariant().Replace("regular", "file")} {e.Layer.Name} {e.IsMerged} {e.IsOpaque}");
                if (e.IsDirectory) pending.Push(e.Path);
            }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
