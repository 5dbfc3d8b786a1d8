using OverlayPS.Items;

namespace OverlayPS.Tests.Provider;

public class OverlayPathTests
{
    [Theory]
    [InlineData("demo:/etc/hosts", "demo", "/etc/hosts")]
    [InlineData("demo:/", "demo", "/")]
    [InlineData("demo:", "demo", "/")]
    [InlineData(@"demo:\etc\hosts", "demo", "/etc/hosts")]
    [InlineData("demo://etc//./hosts/", "demo", "/etc/hosts")]
    [InlineData("/etc/hosts", null, "/etc/hosts")]
    [InlineData("etc/a:b", null, "/etc/a:b")]
    [InlineData("demo:/a:b/c", "demo", "/a:b/c")]
    public void A_provider_path_splits_into_drive_and_union_path(string path, string? drive, string union)
    {
        Assert.Equal(union, OverlayPath.ToUnion(path, out var d));
        Assert.Equal(drive, d);
    }

    [Fact]
    public void Joining_gives_back_the_drive_path_and_the_root_keeps_its_slash()
    {
        Assert.Equal("demo:/", OverlayPath.Join("demo", "/"));
        Assert.Equal("demo:/etc/hosts", OverlayPath.Join("demo", "/etc/hosts"));
    }

    [Fact]
    public void The_root_has_no_parent()
    {
        Assert.Null(OverlayPath.UnionParent("/"));
        Assert.Equal("/", OverlayPath.UnionParent("/etc"));
        Assert.Equal("/etc", OverlayPath.UnionParent("/etc/hosts"));
    }
}
