using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

public class UnionPathTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("etc//hosts/", "/etc/hosts")]
    [InlineData("/./a/./b", "/a/b")]
    [InlineData("/a/../b", "/a/../b")]      // ".." left to the engine: it applies it after links
    public void Parse_gives_the_one_form(string given, string expected) =>
        Assert.Equal(expected, UnionPath.Parse(given).Value);

    [Theory]
    [InlineData("/a/../b", "/b")]
    [InlineData("/../../data", "/data")]    // stops at the root, as the kernel at a mount's root
    [InlineData("a/b/../../..", "/")]
    [InlineData("/a/./b/..", "/a")]
    public void ParseLexical_applies_dotdot_by_name_and_stops_at_the_root(string given, string expected) =>
        Assert.Equal(expected, UnionPath.ParseLexical(given).Value);

    [Fact]
    public void Parent_name_and_child_walk_the_same_form()
    {
        var p = UnionPath.Parse("/etc/hosts");
        Assert.Equal("hosts", p.Name);
        Assert.Equal("/etc", p.Parent!.Value.Value);
        Assert.Equal("/", p.Parent!.Value.Parent!.Value.Value);
        Assert.Null(UnionPath.Root.Parent);
        Assert.Equal("/etc/hosts/x", p.Child("x").Value);
        Assert.Equal("/x", UnionPath.Root.Child("x").Value);
        Assert.Equal(new[] { "etc", "hosts" }, p.Components);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\0b")]
    public void Child_takes_one_name_only(string name) =>
        Assert.Throws<ArgumentException>(() => UnionPath.Root.Child(name));
}
