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
    readonly TempDir _tmp = new("ovlps-dircache");
    public void Dispose() => _tmp.Dispose();

    LayerStack Build(string spec) =>
        LayerSpec.Build(spec, _tmp.Path, LayerStack.DefaultUserXattr);

    const string Stack = @"
lower2 file  /a/b/f      base
lower2 file  /a/b/g      base
lower2 dir   /a/c/deep
lower1 file  /a/b/h      one
lower1 opaque /a/c
lower1 file  /a/c/own    own
lower1 link  /a/l        b
";

    [Fact]
    public void A_directory_removed_and_made_again_hides_what_the_cache_had_seen_below_it()
    {
        var fs = new OverlayFs(Build(Stack));
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
        var fs = new OverlayFs(Build(Stack));
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
        var fs = new OverlayFs(Build(Stack));
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
        var stack = Build(Stack);
        var fs = new OverlayFs(stack);
        fs.Mkdir("/d");
        Assert.NotNull(fs.Lookup("/d"));                // cached
        Thread.Sleep(20);
        using (var s = fs.OpenWrite("/d/new", FileMode.CreateNew)) s.WriteByte(1);
        var onDisk = Files.LStat(stack.Upper + "/d");
        var seen = fs.Stat("/d").Stat;
        Assert.Equal(onDisk.MTime.tv_sec, seen.MTime.tv_sec);
        Assert.Equal(onDisk.MTime.tv_nsec, seen.MTime.tv_nsec);
        // And through a path that reaches it from a cached child and "..".
        var viaParent = fs.Stat("/d/../d").Stat;
        Assert.Equal(onDisk.MTime.tv_nsec, viaParent.MTime.tv_nsec);
    }

    [Fact]
    public void Cached_and_uncached_engines_list_the_same_tree()
    {
        var stack = Build(Stack);
        var cached = new OverlayFs(stack);
        var plain = new OverlayFs(stack, new OverlayFsOptions { CacheDirectories = false });
        var first = Walk(cached);
        Assert.Equal(Walk(plain), first);
        Assert.Equal(first, Walk(cached));              // a second, fully cached walk
        Assert.Contains("/a/c/own file lower1 False False", first);
        Assert.DoesNotContain(first, l => l.StartsWith("/a/c/deep", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_cache_a_directory_added_behind_the_engine_is_seen_at_once()
    {
        var stack = Build(Stack);
        var plain = new OverlayFs(stack, new OverlayFsOptions { CacheDirectories = false });
        var cached = new OverlayFs(stack);
        Assert.Null(plain.Lookup("/a/b/sub"));
        Assert.Null(cached.Lookup("/a/b/sub"));
        Directory.CreateDirectory(stack.Upper + "/a/b/sub");   // behind both engines' backs
        Assert.NotNull(plain.Lookup("/a/b/sub"));
        // The cached engine, like a mounted kernel overlay, need not see it until it writes.
        cached.Mkdir("/unrelated");
        Assert.NotNull(cached.Lookup("/a/b/sub"));
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
