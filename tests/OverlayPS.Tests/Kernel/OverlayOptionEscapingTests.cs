using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;

namespace OverlayPS.Tests.Kernel;

public class OverlayOptionEscapingTests
{
    [Theory]
    [InlineData("/a/plain", "/a/plain")]
    [InlineData("/a:b", @"/a\:b")]
    [InlineData("/a,b", @"/a\,b")]
    [InlineData(@"/a\b", @"/a\\b")]
    [InlineData(@"/x\:,y", @"/x\\\:\,y")]
    [InlineData("/sp ace=eq", "/sp ace=eq")]
    public void Escapes_backslash_colon_and_comma_and_unescapes_back(string path, string escaped)
    {
        Assert.Equal(escaped, OverlayOptionEscaping.Escape(path));
        Assert.Equal(path, OverlayOptionEscaping.Unescape(escaped));
    }

    [Fact]
    public void Lowerdir_splits_on_unescaped_colons_and_keeps_data_layers_apart()
    {
        var (lowers, data) = OverlayOptionEscaping.SplitLowerDir(@"/l\:1:/l\\:/l\,3::/d1::/d\:2");
        Assert.Equal(new[] { "/l:1", @"/l\", "/l,3" }, lowers);
        Assert.Equal(new[] { "/d1", "/d:2" }, data);
    }

    [Fact]
    public void Option_string_escapes_every_layer_and_puts_data_layers_after_double_colon()
    {
        var stack = new LayerStack(new[] { "/l:a", "/l,b" }, "/u\\x", "/w", new[] { "/d" });
        var req = new OverlayMountRequest("/m", stack) { Index = false, RedirectDir = "off", ExtraOptions = new[] { "xino=off" } };
        Assert.Equal(@"lowerdir=/l\:a:/l\,b::/d,upperdir=/u\\x,workdir=/w,redirect_dir=off,index=off,xino=off",
            req.LegacyOptionString);
    }

    [Fact]
    public void Octal_escapes_of_mountinfo_are_undone_and_other_text_kept()
    {
        Assert.Equal("/a b\tc\\d,e", OverlayOptionEscaping.OctalUnescape(@"/a\040b\011c\134d\054e"));
        Assert.Equal(@"/x\9", OverlayOptionEscaping.OctalUnescape(@"/x\9"));
        Assert.Equal("/é", OverlayOptionEscaping.OctalUnescape("/é"));
    }

    [Fact]
    public void Page_limit_decides_between_mount2_and_the_new_api()
    {
        // "lowerdir=" + first + ":/a" is page - 1 bytes: with its NUL exactly one page.
        var page = Environment.SystemPageSize;
        var first = "/" + new string('x', page - 14);
        var fits = new OverlayMountRequest("/m", new LayerStack(new[] { first, "/a" }));
        Assert.Equal(page - 1, System.Text.Encoding.UTF8.GetByteCount(fits.LegacyOptionString));
        Assert.True(fits.FitsOnePage);
        Assert.Equal(MountStrategy.MountSyscall, OverlayMounter.ChooseStrategy(fits));
        var tooLong = new OverlayMountRequest("/m", new LayerStack(new[] { first + "y", "/a" }));
        Assert.False(tooLong.FitsOnePage);
        Assert.Equal(MountStrategy.NewMountApi, OverlayMounter.ChooseStrategy(tooLong));
    }
}
