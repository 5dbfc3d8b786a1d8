using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Union;

/// <summary>
/// Paths never leave the union: ".." stops at its root and symlinks, absolute or relative,
/// are followed inside it. A layer holding <c>etc -> /etc</c> must not reach the host's /etc.
/// (Here the engine deliberately differs from a kernel mount, which follows links on the host.)
/// </summary>
public class ConfinementTests : IDisposable
{
    readonly Layers _l = new();
    public void Dispose() => _l.Dispose();

    [SkippableFact]
    public void An_absolute_symlink_to_etc_stays_in_the_union()
    {
        RootOnly.Require();
        _l.L1.Symlink("etc", "/etc").Dir("data").File("data/passwd", "union passwd");
        var fs = _l.Engine();
        // /etc in the union is the link itself, so following it loops: never the host file.
        Assert.Equal(Errno.ELOOP, Assert.Throws<PosixException>(() => fs.OpenRead("/etc/passwd")).Errno);
        Assert.Null(fs.Lookup("/etc/passwd"));
        Assert.Equal(Errno.ELOOP, Assert.Throws<PosixException>(() => fs.ReadDir("/etc")).Errno);
    }

    [SkippableFact]
    public void A_link_to_etc_reads_the_unions_etc_when_there_is_one()
    {
        RootOnly.Require();
        _l.L1.Symlink("hostetc", "/etc").Symlink("up", "../../../../../../etc/passwd");
        _l.L2.Dir("etc").File("etc/passwd", "union passwd");
        var fs = _l.Engine();
        using (var r = new StreamReader(fs.OpenRead("/hostetc/passwd")))
            Assert.Equal("union passwd", r.ReadToEnd());
        using (var r = new StreamReader(fs.OpenRead("/up")))
            Assert.Equal("union passwd", r.ReadToEnd());
        Assert.Equal("/etc/passwd", fs.ResolvePath("/../../up"));
        Assert.Equal(new[] { "passwd" }, fs.ReadDir("/hostetc").Select(e => e.Name));
    }

    [SkippableFact]
    public void Dot_dot_never_climbs_above_the_root()
    {
        RootOnly.Require();
        _l.L1.File("f", "in union");
        var fs = _l.Engine();
        Assert.Equal("/f", fs.Stat("/../../../f").Path);
        Assert.Equal("/", fs.ResolvePath("/.."));
        Assert.Null(fs.Lookup("/../lower1/f"));
    }

    [SkippableFact]
    public void Writes_through_a_hostile_link_do_not_reach_the_host()
    {
        RootOnly.Require();
        var victim = Path.Combine(_l.Base, "host-victim");
        Directory.CreateDirectory(victim);
        _l.L1.Symlink("esc", victim).Symlink("esc2", "../../../../" + victim.TrimStart('/'));
        var fs = _l.Engine();
        Assert.ThrowsAny<PosixException>(() => fs.OpenWrite("/esc/owned", FileMode.Create).Dispose());
        Assert.ThrowsAny<PosixException>(() => fs.Mkdir("/esc2/owned"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(victim));
    }
}
