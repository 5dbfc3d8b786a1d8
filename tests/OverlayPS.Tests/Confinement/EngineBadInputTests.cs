using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Confinement;

/// <summary>Names the kernel could never be given: the engine refuses them at its door
/// instead of letting the marshalled path name another file.</summary>
public sealed class EngineBadInputTests : IDisposable
{
    readonly Union.Layers _l = new();
    public void Dispose() => _l.Dispose();

    [SkippableFact]
    public void A_nul_in_a_path_or_link_target_is_EINVAL_and_touches_nothing()
    {
        RootOnly.Require();
        _l.L1.File("f", "lower").File("fx", "another file");
        var fs = _l.Engine();
        Errno E(Action a) => Assert.Throws<PosixException>(a).Errno;
        Assert.Null(fs.Lookup("/f\0x"));
        Assert.Equal(Errno.EINVAL, E(() => fs.Stat("/f\0x")));
        Assert.Equal(Errno.EINVAL, E(() => fs.OpenRead("/f\0x").Dispose()));
        Assert.Equal(Errno.EINVAL, E(() => fs.OpenWrite("/f\0x", FileMode.Create).Dispose()));
        Assert.Equal(Errno.EINVAL, E(() => fs.OpenWrite("/new\0name", FileMode.CreateNew).Dispose()));
        Assert.Equal(Errno.EINVAL, E(() => fs.Mkdir("/d\0ir")));
        Assert.Equal(Errno.EINVAL, E(() => fs.Symlink("/f\0/x", "/link")));
        Assert.Equal(Errno.EINVAL, E(() => fs.Unlink("/f\0x")));
        Assert.Equal(Errno.EINVAL, E(() => fs.Rename("/f", "/g\0h")));
        Assert.Equal(Errno.EINVAL, E(() => fs.Link("/f", "/h\0l")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_l.U.Root));
        Assert.Equal("another file", File.ReadAllText(_l.L1.P("fx")));
    }
}
