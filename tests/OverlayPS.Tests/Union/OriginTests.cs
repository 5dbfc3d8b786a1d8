using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// Copy-up leaves overlay.origin (the lower inode's file handle) and marks the upper parent
/// impure, byte for byte as the kernel does for the same lower inode; so a kernel mount of the
/// engine's dirs afterwards reports the lower inode number for a copied-up file, as it does
/// for one it copied up itself.
/// </summary>
public sealed class OriginTests
{
    [SkippableFact]
    public void Copy_up_records_the_origin_the_kernel_records_and_keeps_inode_numbers()
    {
        RootOnly.Require();
        using var l = new Layers();
        l.L1.File("file", "data").Dir("d/sub").File("d/sub/f", "deep").File("linked", "x").HardLink("linked2", "linked");
        string kUpper = Path.Combine(l.Base, "kernel-upper"), kWork = Path.Combine(l.Base, "kernel-work");
        Directory.CreateDirectory(kUpper);
        Directory.CreateDirectory(kWork);
        var lowerIno = Files.LStat(l.L1.P("file")).Inode;

        // The kernel copies up over the lower into its own upper...
        var kernelStack = new LayerStack(new[] { l.L1.Root }, kUpper, kWork);
        using (var k = new KernelOverlay(kernelStack, Path.Combine(l.Base, "mnt-k")))
        {
            Files.Chmod(k["/file"], 0x180);
            Files.Chmod(k["/d/sub/f"], 0x180);
            Files.Chmod(k["/linked"], 0x180);
        }
        // ...and the engine over the same lower into another.
        using (var fs = l.Engine(lowers: 1))
        {
            fs.Chmod("/file", 0x180);
            fs.Chmod("/d/sub/f", 0x180);
            fs.Chmod("/linked", 0x180);
        }
        foreach (var p in new[] { "file", "d", "d/sub", "d/sub/f" })
            Assert.Equal(Xattrs.Get(Path.Combine(kUpper, p), "trusted.overlay.origin"), Xattrs.Get(l.U.P(p), "trusted.overlay.origin"));
        // A file with two links gets no origin without index=on, on either side.
        Assert.Null(Xattrs.Get(Path.Combine(kUpper, "linked"), "trusted.overlay.origin"));
        Assert.Null(Xattrs.Get(l.U.P("linked"), "trusted.overlay.origin"));
        foreach (var p in new[] { "", "d", "d/sub" })
            Assert.Equal(Xattrs.Get(Path.Combine(kUpper, p), "trusted.overlay.impure"), Xattrs.Get(l.U.P(p), "trusted.overlay.impure"));

        using var after = l.Kernel(lowers: 1);
        Assert.Equal(lowerIno, Files.LStat(after["/file"]).Inode);
    }
}
