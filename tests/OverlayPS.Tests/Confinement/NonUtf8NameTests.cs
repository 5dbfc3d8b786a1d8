using System.Text;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Confinement;

/// <summary>
/// Names and symlink targets are bytes: ones that are not UTF-8 (0x80-0xFF alone) are listed,
/// read, written, copied up, renamed and removed, and what lands on disk is byte for byte what
/// the kernel leaves for the same calls through a mount of a copy of the same layers.
/// </summary>
public sealed class NonUtf8NameTests
{
    // "bad\xff", "dir\xfe", "in\x80", "lnk\xc0", "t\xff\xfe", "re\xfe", "new\xffA" as Core strings.
    static readonly string Bad = Raw("bad", 0xFF), Dir = Raw("dir", 0xFE), In = Raw("in", 0x80),
        Lnk = Raw("lnk", 0xC0), Target = Raw("t", 0xFF, 0xFE), Re = Raw("re", 0xFE), New = Raw("new", 0xFF) + "A";

    static string Raw(string ascii, params byte[] tail) =>
        FileNames.Decode(Encoding.ASCII.GetBytes(ascii).Concat(tail).ToArray());

    [Fact]
    public void Undecodable_bytes_round_trip_through_the_name_form()
    {
        byte[] raw = { (byte)'a', 0xFF, 0xC3, 0xA9, 0xED, 0xA0, 0x80, 0xF0, 0x9F, 0x98, 0x80, 0x80 };
        var s = FileNames.Decode(raw);
        Assert.Equal(raw, FileNames.Encode(s));
        Assert.Contains('é', s);
        Assert.True(FileNames.HasRawBytes(s));
        Assert.False(FileNames.HasRawBytes("plain é"));
    }

    [SkippableFact]
    public void Non_utf8_names_are_listed_read_copied_up_renamed_and_removed_as_the_kernel_does()
    {
        RootOnly.Require();
        using var engineSide = new Union.Layers();
        using var kernelSide = new Union.Layers();
        foreach (var l in new[] { engineSide, kernelSide })
        {
            var lower = DirHandle.OpenRoot(l.L1.Root);
            WriteFile(lower, Bad, "b");
            WriteFile(lower, "plain", "p");
            lower.Mkdir(Dir, 0x1ED);
            WriteFile(lower.OpenDir(Dir), In, "i");
            lower.Symlink(Target, Lnk);
        }

        var fs = engineSide.Engine();
        var listed = fs.ReadDir("/").Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { Bad, Dir, Lnk, "plain" }.Order(StringComparer.Ordinal), listed);
        Assert.Equal("b", new StreamReader(fs.OpenRead("/" + Bad)).ReadToEnd());
        Assert.Equal(Target, fs.ReadLink("/" + Lnk));
        var when = new PosixTime(1_600_000_000, 5);
        using (var s = fs.OpenWrite("/" + Bad, FileMode.Append))
            s.Write("x"u8);
        fs.SetTimes("/" + Lnk, when, when);
        fs.Rename("/plain", "/" + Re);
        fs.RemoveTree("/" + Dir);
        using (var s = fs.OpenWrite("/" + New, FileMode.CreateNew, 0x1A4))
            s.Write("n"u8);

        using (var k = kernelSide.Kernel())
        {
            var mnt = DirHandle.OpenRoot(k.MountPoint);
            Assert.Equal(listed, List(mnt).Order(StringComparer.Ordinal).ToArray());
            using (var h = mnt.OpenFile(Bad, OpenFlags.O_WRONLY | OpenFlags.O_APPEND))
            using (var s = OpenFiles.ToStream(h, FileAccess.Write))
                s.Write("x"u8);
            mnt.SetTimes(Lnk, when, when);
            DirHandle.Rename(mnt, "plain", mnt, Re);
            WorkDir.RemoveTree(mnt, Dir);
            WriteFile(mnt, New, "n");
            mnt.Dispose();
        }

        Assert.Equal(RawTree(kernelSide.U.Root), RawTree(engineSide.U.Root));
        Assert.Contains(RawTree(engineSide.U.Root), line => line.StartsWith(Lnk + " Symlink") && line.EndsWith("-> " + Target));
    }

    static void WriteFile(DirHandle dir, string name, string text)
    {
        using var h = dir.OpenFile(name, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, 0x1A4);
        using var s = OpenFiles.ToStream(h, FileAccess.Write);
        s.Write(Encoding.UTF8.GetBytes(text));
    }

    static List<string> List(DirHandle dir)
    {
        var names = new List<string>();
        using var r = dir.Read();
        while (r.Next(out var n, out _))
            names.Add(n);
        return names;
    }

    /// <summary>Every entry below a directory with its raw name (in name form), kind, mode,
    /// device, and content or target, sorted; times aside (each side made its own).</summary>
    static List<string> RawTree(string root)
    {
        var lines = new List<string>();
        void Walk(DirHandle dir, string prefix)
        {
            foreach (var n in List(dir).Order(StringComparer.Ordinal))
            {
                var st = dir.Stat(n);
                string what = st.Kind switch
                {
                    FileKind.Symlink => "-> " + dir.ReadLink(n),
                    FileKind.Regular => ReadAll(dir, n),
                    FileKind.CharDevice => $"rdev {st.RDev}",
                    _ => "",
                };
                lines.Add($"{prefix}{n} {st.Kind} {Convert.ToString(st.Mode, 8)} {what}");
                if (st.IsDirectory)
                {
                    using var sub = dir.OpenDir(n);
                    Walk(sub, prefix + n + "/");
                }
            }
        }
        using var top = DirHandle.OpenRoot(root);
        Walk(top, "");
        return lines;
    }

    static string ReadAll(DirHandle dir, string name)
    {
        using var h = dir.OpenFile(name, OpenFlags.O_RDONLY);
        using var s = OpenFiles.ToStream(h, FileAccess.Read);
        return new StreamReader(s).ReadToEnd();
    }
}
