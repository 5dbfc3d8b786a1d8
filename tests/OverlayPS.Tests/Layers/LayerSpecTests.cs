using OverlayPS.Tests.Union;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Layers;

public class LayerSpecTests : IDisposable
{
    readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void The_demo_description_builds_layers_the_kernel_mounts_as_described()
    {
        RootOnly.Require("mounting the demo layers");
        var spec = File.ReadAllText(Path.Combine(RepoRoot(), "module/samples/demo-layers.txt"));
        var stack = LayerSpec.Build(spec, _dir.Sub("layers"), userXattr: false);
        Assert.Equal(3, stack.Lowers.Count);
        Assert.True(Files.LStat(Path.Combine(stack.Lowers[0], "etc/motd")).IsCharDevice00);
        Assert.Equal("y", Xattrs.GetString(Path.Combine(stack.Lowers[1], "var/cache"), "trusted.overlay.opaque"));

        var mnt = _dir.Sub("mnt");
        using (new KernelOverlay(stack, mnt))
        {
            var tree = Directory.EnumerateFileSystemEntries(mnt, "*", SearchOption.AllDirectories)
                .Select(p => p[mnt.Length..]).OrderBy(p => p, StringComparer.Ordinal).ToArray();
            Assert.Contains("/var/cache/fresh.txt", tree);
            Assert.DoesNotContain("/var/cache/apt", tree);
            Assert.DoesNotContain("/etc/motd", tree);
            Assert.DoesNotContain("/opt/app/config.json", tree);
            Assert.Equal("demo", File.ReadAllText(Path.Combine(mnt, "etc/hostname")));
        }
    }

    [Theory]
    [InlineData("lower1 file relative/path x")]
    [InlineData("middle file /a x")]
    [InlineData("lower0 file /a x")]
    [InlineData("lower1 file /a/../../escape x")]
    [InlineData("lower1 gizmo /a")]
    public void A_bad_line_is_refused_before_anything_outside_the_root_is_written(string line)
    {
        Assert.Throws<FormatException>(() => LayerSpec.Build(line, _dir.Sub("bad"), userXattr: true));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "escape")));
    }

    internal static string RepoRoot()
    {
        var d = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(d, "OverlayPS.sln")))
            d = Path.GetDirectoryName(d) ?? throw new InvalidOperationException("repo root not found");
        return d;
    }
}
