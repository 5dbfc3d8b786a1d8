using OverlayPS.Tests.Differential;
using OverlayPS.Core.Kernel;
using OverlayPS.Core.Union;
using OverlayPS.Tests.Union;
using TestStack = OverlayPS.Tests.Union.Layers;

namespace OverlayPS.Tests.Kernel;

/// <summary>
/// A stack mounted by Mount-Overlay's Core and the same stack opened in the engine (from the
/// mount's own Get-OverlayMount description) show the same tree.
/// </summary>
public class MountAndEngineAgreeTests
{
    static void Populate(TestStack l)
    {
        l.L3.File("base", "3").Dir("etc").File("etc/passwd", "root").File("gone", "x").Dir("opaque").File("opaque/old", "o")
            .File("co:lon,com\\ma", "hostile");
        l.L2.File("base", "2").Symlink("link", "etc/passwd").Dir("etc").File("etc/group", "g").Whiteout("gone")
            .Opaque("opaque").File("opaque/new", "n");
        l.L1.File("with space", "s").Dir("etc").File("etc/hosts", "h");
        l.U.File("base", "upper").Whiteout("etc/group").Dir("added").File("added/f", "f");
    }

    [SkippableFact]
    public void A_mounted_read_only_stack_and_the_engine_over_its_listed_dirs_see_the_same_tree()
    {
        RootOnly.Require("mounting an overlay");
        using var l = new TestStack();
        Populate(l);
        // The upper dir as a fourth lower: its whiteouts and opaque marks act the same there.
        var stack = new Core.Layers.LayerStack(new[] { l.U.Root, l.L1.Root, l.L2.Root, l.L3.Root });
        var mp = Path.Combine(l.Base, "mnt");
        Directory.CreateDirectory(mp);
        var mount = OverlayMounter.Mount(new OverlayMountRequest(mp, stack));
        try
        {
            var engine = new OverlayFs(mount.ToLayerStack());
            TreeSnapshot.AssertSame(TreeSnapshot.FromHost(mp), TreeSnapshot.FromEngine(engine), "mount vs engine (read-only)");
        }
        finally { Unmounts.Overlay(mp); }
    }

    [SkippableTheory]
    [InlineData(MountStrategy.MountSyscall)]
    [InlineData(MountStrategy.NewMountApi)]
    public void A_writable_mount_and_the_engine_over_the_same_dirs_see_the_same_tree(MountStrategy strategy)
    {
        RootOnly.Require("mounting an overlay");
        using var l = new TestStack();
        Populate(l);
        var mp = Path.Combine(l.Base, "mnt");
        Directory.CreateDirectory(mp);
        var mount = OverlayMounter.Mount(new OverlayMountRequest(mp, l.Stack()) { Strategy = strategy });
        SortedDictionary<string, string> kernel;
        try { kernel = TreeSnapshot.FromHost(mp); }
        finally { Unmounts.Overlay(mp); }
        // The engine and the kernel must not share a live upper: open it after the dismount.
        var engine = new OverlayFs(mount.ToLayerStack());
        var listed = mount.ToLayerStack();
        Assert.Equal(l.Stack().Lowers, listed.Lowers);
        Assert.Equal(l.Stack().Upper, listed.Upper);
        Assert.Equal(l.Stack().Work, listed.Work);
        TreeSnapshot.AssertSame(kernel, TreeSnapshot.FromEngine(engine), "mount vs engine (writable)");
    }
}
