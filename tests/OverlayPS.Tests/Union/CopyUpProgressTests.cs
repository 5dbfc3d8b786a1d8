using OverlayPS.Core.Layers;
using OverlayPS.Core.Transfer;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>The first write to a big lower file copies it up first: whoever asked on the thread
/// hears how the data copy goes (the drive shows it as a bar).</summary>
public class CopyUpProgressTests
{
    [Fact]
    public void A_copy_up_reports_its_data_copy_to_the_caller_on_the_thread_only()
    {
        using var t = new TempDir("ovlps-cuprog");
        var lower = t.Sub("l");
        var data = new byte[3 << 20];
        new Random(7).NextBytes(data);
        File.WriteAllBytes(Path.Combine(lower, "big"), data);
        File.WriteAllBytes(Path.Combine(lower, "other"), data);
        using var fs = new OverlayFs(new LayerStack(new[] { lower }, t.Sub("u"), t.Sub("w"), userXattr: !Core.Posix.Files.IsRoot));

        var seen = new List<TransferProgress>();
        using (CopyUpProgress.Report(seen.Add, TimeSpan.Zero))
            fs.OpenWrite("/big", FileMode.Open).Dispose();
        Assert.NotEmpty(seen);
        Assert.All(seen, p => Assert.Equal("/big", p.Current));
        Assert.Equal(data.Length, seen[^1].Bytes);
        Assert.True(seen.Select(p => p.Bytes).SequenceEqual(seen.Select(p => p.Bytes).Order()));

        // Outside the scope nobody is told.
        int before = seen.Count;
        fs.OpenWrite("/other", FileMode.Open).Dispose();
        Assert.Equal(before, seen.Count);
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(t.Path, "u", "other")));
    }
}
