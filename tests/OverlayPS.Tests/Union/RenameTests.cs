namespace OverlayPS.Tests.Union;

/// <summary>The rename families of unionmount-testsuite, each kernel-compared.</summary>
public class RenameTests
{
    static void Check(KernelComparison.Script s) => KernelComparison.Check(StandardLayers.Build, s);

    [SkippableFact]
    public void Rename_file() => Check((o, r) =>
    {
        r("lower in place", o.Rename("/a", "/a2"));
        r("back over whiteout", o.Rename("/a2", "/a"));
        r("upper only", o.Rename("/u", "/u2"));
        r("over lower file", o.Rename("/b", "/hl1"));
        r("into lower-only dir", o.Rename("/dir100/a", "/dir106/moved"));
        r("over whiteout", o.Rename("/dir100/b", "/gone"));
        r("file over dir", o.Rename("/sym", "/dir101"));
        r("fifo", o.Rename("/fifo", "/dir103/fifo"));
        r("symlink", o.Rename("/symdir", "/dir105/symdir"));
    });

    [SkippableFact]
    public void Rename_dir_with_lower_content_is_EXDEV() => Check((o, r) =>
    {
        r("merged dir", o.Rename("/dir100", "/dir100x"));
        r("lower-only dir", o.Rename("/dir102", "/dir102x"));
        r("empty lower dir", o.Rename("/dir101", "/dir101x"));
        r("opaque lower", o.Rename("/dir104", "/dir104x"));
        r("dir over file", o.Rename("/dir105", "/a"));
    });

    [SkippableFact]
    public void Rename_empty_and_populated_upper_dirs() => Check((o, r) =>
    {
        r("mkdir empty", o.Mkdir("/empty"));
        r("rename empty", o.Rename("/empty", "/empty2"));
        r("rename populated", o.Rename("/dir105", "/dir105x"));
        r("over empty lower dir", o.Rename("/empty2", "/dir101"));
        r("over non-empty", o.Rename("/dir105x", "/dir100"));
        r("over whiteout", o.Rename("/dir105x", "/gone"));
    });

    [SkippableFact]
    public void Rename_new_dir_and_move_dir() => Check((o, r) =>
    {
        r("new", o.Mkdir("/dir103/newdir"));
        r("file in it", o.Write("/dir103/newdir/f", "f"));
        r("move to other dir", o.Rename("/dir103/newdir", "/dir100/newdir"));
        r("move up", o.Rename("/dir100/newdir", "/newdir"));
        r("move into upper dir", o.Rename("/newdir", "/dir105/newdir"));
        r("opaque-over-whiteout dir", o.Mkdir("/gone"));
        r("moved away", o.Rename("/gone", "/gone-moved"));
    });

    [SkippableFact]
    public void Rename_hard_link() => Check((o, r) =>
    {
        r("onto its other name", o.Rename("/hl1", "/hl2"));
        r("elsewhere", o.Rename("/hl1", "/dir103/hl"));
        r("write moved", o.Write("/dir103/hl", "w", append: true));
    });

    [SkippableFact]
    public void Mass_renames() => Check((o, r) =>
    {
        for (int i = 0; i < 20; i++)
            r($"create {i}", o.Write($"/dir103/f{i}", i.ToString()));
        for (int i = 0; i < 20; i++)
            r($"rotate {i}", o.Rename($"/dir103/f{i}", $"/dir100/g{i}"));
        for (int i = 19; i >= 0; i--)
            r($"back {i}", o.Rename($"/dir100/g{i}", $"/dir103/f{(i + 1) % 20}"));
        r("lower a", o.Rename("/a", "/dir103/f0"));
        r("lower b", o.Rename("/b", "/a"));
        r("and back", o.Rename("/dir103/f0", "/b"));
    });
}
