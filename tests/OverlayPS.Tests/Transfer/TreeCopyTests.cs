using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;

namespace OverlayPS.Tests.Transfer;

/// <summary>TreeCopy between two host dirs (the same walk serves union sides).</summary>
public class TreeCopyTests
{
    static (List<(Exception Error, string Path)> Failures, TreeCopy Copy) Make(TreeCopyOptions options)
    {
        var failures = new List<(Exception, string)>();
        var copy = new TreeCopy(HostTreeSide.Instance, HostTreeSide.Instance, options)
        {
            Failed = (e, p) => failures.Add((e, p)),
        };
        return (failures, copy);
    }

    [Fact]
    public void Keeps_mode_times_and_symlinks_like_cp_a()
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        File.WriteAllText($"{src}/f", "data");
        Files.Chmod($"{src}/f", 0x1E9); // 0751
        var mtime = new PosixTime(1_000_000_000, 123_456_789);
        Files.LUTimes($"{src}/f", mtime, mtime);
        Files.Symlink("f", $"{src}/link");
        var (failures, copy) = Make(new TreeCopyOptions(Recurse: true, KeepMetadata: true, Overwrite: false));
        copy.Copy(src, $"{t.Path}/dst");
        Assert.Empty(failures);
        var st = Files.LStat($"{t.Path}/dst/f");
        Assert.Equal(0x1E9u, st.Mode);
        Assert.Equal(mtime.Seconds, st.MTime.Seconds);
        Assert.Equal(mtime.Nanoseconds, st.MTime.Nanoseconds);
        Assert.Equal("f", Files.ReadLink($"{t.Path}/dst/link"));
    }

    [Fact]
    public void Following_links_copies_targets_and_stops_at_a_loop()
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        Directory.CreateDirectory($"{src}/sub");
        File.WriteAllText($"{src}/sub/f", "x");
        Files.Symlink("..", $"{src}/sub/up");       // leads back to src
        Files.Symlink("sub/f", $"{src}/flink");
        Files.Symlink("nowhere", $"{src}/dangling");
        var (failures, copy) = Make(new TreeCopyOptions(Recurse: true, KeepMetadata: false, Overwrite: false, FollowSymlinks: true));
        copy.Copy(src, $"{t.Path}/dst");
        Assert.Equal("x", File.ReadAllText($"{t.Path}/dst/flink"));
        Assert.True(Files.LStat($"{t.Path}/dst/flink").IsRegular);
        Assert.Contains(failures, f => f.Error is PosixException { Errno: Errno.ELOOP } && f.Path.EndsWith("/sub/up"));
        Assert.Contains(failures, f => f.Error is PosixException { Errno: Errno.ENOENT } && f.Path.EndsWith("/dangling"));
        Assert.Equal(2, failures.Count);
    }

    [Fact]
    public void Refuses_to_overwrite_without_the_option_and_goes_on()
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        var dst = t.Sub("dst");
        File.WriteAllText($"{src}/a", "new");
        File.WriteAllText($"{src}/b", "new");
        File.WriteAllText($"{dst}/a", "old");
        var (failures, copy) = Make(new TreeCopyOptions(Recurse: true, KeepMetadata: false, Overwrite: false));
        copy.Copy(src, dst);
        Assert.Equal("old", File.ReadAllText($"{dst}/a"));
        Assert.Equal("new", File.ReadAllText($"{dst}/b"));
        Assert.Single(failures);
        Assert.Equal(Errno.EEXIST, ((PosixException)failures[0].Error).Errno);
    }

    [Fact]
    public void Reports_progress_per_object_and_per_chunk_of_a_big_file_with_running_totals()
    {
        using var t = new TempDir();
        var src = t.Sub("src");
        Directory.CreateDirectory($"{src}/sub");
        File.WriteAllText($"{src}/a", "12345");
        File.WriteAllBytes($"{src}/sub/big", new byte[300_000]); // five 64 KiB chunks
        Files.Symlink("a", $"{src}/link");
        var reports = new List<TransferProgress>();
        var copy = new TreeCopy(HostTreeSide.Instance, HostTreeSide.Instance, new TreeCopyOptions(Recurse: true, KeepMetadata: false, Overwrite: false))
        {
            Failed = (e, _) => throw e,
            Progress = reports.Add,
            ProgressInterval = TimeSpan.Zero, // every check reports: the test sees them all
        };
        copy.Copy(src, $"{t.Path}/dst");

        // src, sub, a, big, link: five objects, 300,005 bytes, counted as they go.
        var last = reports[^1];
        Assert.Equal(5, last.Items);
        Assert.Equal(300_005, last.Bytes);
        Assert.Equal(reports.Select(r => r.Items).Order(), reports.Select(r => r.Items));
        Assert.Equal(reports.Select(r => r.Bytes).Order(), reports.Select(r => r.Bytes));
        // The big file reports between its chunks, naming itself.
        Assert.True(reports.Count(r => r.Current == $"{src}/sub/big" && r.Bytes is > 5 and < 300_005) >= 4,
            string.Join("\n", reports));
    }

    [Fact]
    public void A_progress_ticker_reports_first_at_once_then_once_per_interval()
    {
        var ticker = new ProgressTicker(TimeSpan.FromDays(1));
        Assert.True(ticker.Due());
        Assert.False(ticker.Due()); // a day later at the earliest
        Assert.True(new ProgressTicker(TimeSpan.Zero) is var zero && zero.Due() && zero.Due());
    }
}
