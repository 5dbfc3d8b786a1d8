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

/// <summary>A tree copy whose destination is inside its source, or a file copied onto itself,
/// stops with an error instead of running until the path is too long or emptying the file.</summary>
public sealed class TreeCopyOntoItselfTests : IDisposable
{
    readonly Union.Layers _l = new();
    public void Dispose() => _l.Dispose();

    [SkippableFact]
    public void A_copy_into_its_own_subtree_stops_at_the_first_level()
    {
        RootOnly.Require();
        _l.L1.Dir("d").File("d/a", "a").Dir("d/sub").File("d/sub/b", "b");
        var fs = _l.Engine();
        var side = new Core.Transfer.UnionTreeSide(fs);
        var failures = new List<Exception>();
        new Core.Transfer.TreeCopy(side, side, new Core.Transfer.TreeCopyOptions(Recurse: true, KeepMetadata: false, Overwrite: false))
        { Failed = (e, _) => failures.Add(e) }.Copy("/d", "/d/sub/copy");
        Assert.Single(failures);
        Assert.Contains("into itself", failures[0].Message);
        Assert.Equal("a", new StreamReader(fs.OpenRead("/d/sub/copy/a")).ReadToEnd());
        Assert.Null(fs.Lookup("/d/sub/copy/sub/copy"));
    }

    [SkippableFact]
    public void A_file_copied_onto_itself_keeps_its_data()
    {
        RootOnly.Require();
        _l.U.File("f", "keep me");
        var fs = _l.Engine();
        fs.Link("/f", "/hl");
        fs.Symlink("f", "/sl");
        var side = new Core.Transfer.UnionTreeSide(fs);
        foreach (var dst in new[] { "/f", "/hl", "/sl" })
        {
            var failures = new List<Exception>();
            new Core.Transfer.TreeCopy(side, side, new Core.Transfer.TreeCopyOptions(Recurse: false, KeepMetadata: false, Overwrite: true))
            { Failed = (e, _) => failures.Add(e) }.Copy("/f", dst);
            Assert.Single(failures);
            Assert.Equal("keep me", File.ReadAllText(_l.U.P("f")));
        }
    }
}
