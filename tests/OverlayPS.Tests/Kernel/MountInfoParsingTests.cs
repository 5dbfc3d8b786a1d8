using OverlayPS.Core.Kernel;

namespace OverlayPS.Tests.Kernel;

/// <summary>Lines copied from /proc/self/mountinfo on kernel 6.18 after mounting hostile names.</summary>
public class MountInfoParsingTests
{
    [Fact]
    public void A_mount2_overlay_reads_back_its_escaped_lowers_in_order()
    {
        // mount -t overlay -o 'lowerdir=/k/l a:/k/l\:b:/k/l\,c:/k/l\\d,upperdir=/k/u,workdir=/k/w'
        var line = @"47 27 0:39 / /k/m\040x rw,relatime - overlay overlay rw,lowerdir=/k/l\040a:/k/l\134:b:/k/l\134\054c:/k/l\134\134d,upperdir=/k/u,workdir=/k/w,uuid=on";
        var m = OverlayMount.From(MountInfo.Parse(line)!)!;
        Assert.Equal("/k/m x", m.MountPoint);
        Assert.Equal(new[] { "/k/l a", "/k/l:b", "/k/l,c", @"/k/l\d" }, m.LowerDir);
        Assert.Equal("/k/u", m.UpperDir);
        Assert.Equal("/k/w", m.WorkDir);
        Assert.Empty(m.DataDir);
        Assert.Equal(new[] { "rw", "uuid=on" }, m.Options);
        Assert.False(m.ReadOnly);
        Assert.Equal("lowerdir", m.LayerSyntax);
    }

    [Fact]
    public void Data_layers_tabs_and_escaped_upper_are_read_back()
    {
        var line = @"46 27 0:39 / /k/m rw,relatime - overlay overlay rw,lowerdir=/k/l\011t::/k/d1::/k/d2,upperdir=/k/u\134:x\134\054y,workdir=/k/w=z,redirect_dir=on,uuid=on,metacopy=on";
        var m = OverlayMount.From(MountInfo.Parse(line)!)!;
        Assert.Equal(new[] { "/k/l\tt" }, m.LowerDir);
        Assert.Equal(new[] { "/k/d1", "/k/d2" }, m.DataDir);
        Assert.Equal("/k/u:x,y", m.UpperDir);
        Assert.Equal("/k/w=z", m.WorkDir);
        Assert.Contains("metacopy=on", m.Options);
    }

    [Fact]
    public void A_new_api_overlay_lists_one_unescaped_lowerdir_plus_per_layer()
    {
        var line = @"48 27 0:39 / /k/m ro,relatime shared:5 - overlay overlay ro,lowerdir+=/k/l\040a,lowerdir+=/k/l:b,lowerdir+=/k/l\054c,lowerdir+=/k/l\134d,datadir+=/k/d1,upperdir=/k/u:x\054y,workdir=/k/w";
        var info = MountInfo.Parse(line)!;
        Assert.Equal("overlay", info.FsType);
        var m = OverlayMount.From(info)!;
        Assert.Equal(new[] { "/k/l a", "/k/l:b", "/k/l,c", @"/k/l\d" }, m.LowerDir);
        Assert.Equal(new[] { "/k/d1" }, m.DataDir);
        Assert.Equal("/k/u:x,y", m.UpperDir);
        Assert.True(m.ReadOnly);
        Assert.Equal("lowerdir+", m.LayerSyntax);
    }

    [Fact]
    public void Other_filesystems_are_not_overlays()
    {
        var info = MountInfo.Parse("22 1 0:21 / /tmp rw,nosuid shared:3 - tmpfs tmpfs rw,size=100k")!;
        Assert.Equal("/tmp", info.MountPoint);
        Assert.Null(OverlayMount.From(info));
        Assert.Null(MountInfo.Parse("garbage line"));
    }

    [Fact]
    public void Docker_style_relative_lowers_are_anchored_under_the_upper_dirs_ancestors()
    {
        // dockerd chdirs into its overlay2 root and mounts relative l/ links (fits one page).
        var line = "60 27 0:50 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=l/AAA:l/BBB:l/ZZZ,upperdir=/var/lib/docker/overlay2/abc/diff,workdir=/var/lib/docker/overlay2/abc/work";
        var existing = new HashSet<string> { "/var/lib/docker/overlay2/l/AAA", "/var/lib/docker/overlay2/l/BBB" };
        var m = OverlayMount.From(MountInfo.Parse(line)!, existing.Contains)!;
        Assert.Equal(new[] { "/var/lib/docker/overlay2/l/AAA", "/var/lib/docker/overlay2/l/BBB", "l/ZZZ" }, m.LowerDir);
    }
}
