using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>The oracle's own calls answer as the kernel does (not as a libc emulation).</summary>
public class KernelOracleTests
{
    [SkippableFact]
    public void Chmod_without_following_changes_a_file_and_refuses_a_symlink()
    {
        RootOnly.Require("the kernel oracle");
        using var tmp = new TempDir("ovlps-oracle");
        var file = Path.Combine(tmp.Path, "f");
        var link = Path.Combine(tmp.Path, "l");
        File.WriteAllText(file, "x");
        Files.Symlink("f", link);

        ModeChanges.ChmodNoFollow(file, 0x180);
        Assert.Equal(0x180u, Files.LStat(file).Mode);
        var e = Assert.Throws<PosixException>(() => ModeChanges.ChmodNoFollow(link, 0x1FF));
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Equal(0x180u, Files.LStat(file).Mode);
    }
}
