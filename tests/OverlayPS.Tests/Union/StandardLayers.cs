namespace OverlayPS.Tests.Union;

/// <summary>
/// The layers most named tests start from, in the spirit of unionmount-testsuite's set-up:
/// files, dirs, symlinks, hard links and a fifo in the lowers, a merged dir, an opaque dir, a
/// whiteout, an upper-only dir, varied modes and owners and a user xattr.
/// </summary>
public static class StandardLayers
{
    public static void Build(Layers l)
    {
        l.L2.File("a", "a from lower2").File("dir100/a", "100a").File("dir100/b", "100b")
            .Dir("dir101").File("dir102/sub/x", "x").File("hl1", "hard").HardLink("hl2", "hl1")
            .Symlink("sym", "a").Symlink("symdir", "dir100").Symlink("dangling", "nowhere")
            .Symlink("abssym", "/dir100/a").Fifo("fifo").File("gone", "whited out")
            .File("mode600", "secret", 0x180).Dir("dir106", 0x1C0).File("dir106/f", "f")
            .File("dir107/only", "o").Xattr("a", "user.color", "blue");
        Mono.Unix.Native.Syscall.lchown(l.L2.P("dir106"), 1234, 5678);
        Mono.Unix.Native.Syscall.lchown(l.L2.P("dir106/f"), 1234, 5678);
        l.L1.File("b", "b from lower1").File("dir100/c", "100c").Dir("dir103").File("dir104/x", "x1")
            .Whiteout("gone").File("dir107/only", "o1");
        l.L2.File("dir104/hidden", "hidden");
        l.L1.Opaque("dir104");
        l.U.File("u", "upper").File("dir105/f", "upper only").Dir("dir100");
    }
}
