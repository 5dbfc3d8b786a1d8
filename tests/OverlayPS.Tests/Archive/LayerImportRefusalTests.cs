using OverlayPS.Core.Archive;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Confinement;
using OverlayPS.Tests.Differential;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Archive;

/// <summary>
/// Hostile layer tars, each refused by name: the host canary dir (and /etc/passwd) keep their
/// fingerprint, a new lower is never created and leaves no stage beside it, and an upper and
/// its work dir are exactly as before.
/// </summary>
public sealed class LayerImportRefusalTests : IDisposable
{
    readonly TempDir _tmp = new("ovlps-import-refuse");
    readonly HostSentinel _host = new();

    public void Dispose()
    {
        _tmp.Dispose();
        _host.Dispose();
    }

    public static TheoryData<string> Cases() => new(HostileTars.Keys);

    static readonly Dictionary<string, (LayerImportProblem Problem, Func<string, TarBuilder> Tar)> HostileTars = new()
    {
        ["dotdot"] = (LayerImportProblem.ParentReference, host => new TarBuilder().File("ok").File("../../../../../../../../.." + host + "/file", "pwned")),
        ["dotdot-inside"] = (LayerImportProblem.ParentReference, _ => new TarBuilder().Dir("a/").File("a/../../escape", "pwned")),
        ["absolute"] = (LayerImportProblem.AbsoluteName, host => new TarBuilder().File(host + "/file", "pwned")),
        ["symlink-then-write"] = (LayerImportProblem.ThroughSymlink, host => new TarBuilder().Symlink("evil", host).File("evil/file", "pwned")),
        ["relative-symlink-then-write"] = (LayerImportProblem.ThroughSymlink, _ => new TarBuilder().Dir("d/").Symlink("d/up", "../..").File("d/up/escape", "pwned")),
        ["symlink-then-dir"] = (LayerImportProblem.ThroughSymlink, host => new TarBuilder().Symlink("evil", host).Dir("evil/sub/")),
        ["hardlink-dotdot"] = (LayerImportProblem.LinkOutsideLayer, host => new TarBuilder().HardLink("h", "../../../../../../../.." + host + "/file")),
        ["hardlink-absolute"] = (LayerImportProblem.LinkOutsideLayer, host => new TarBuilder().HardLink("h", host + "/file")),
        ["hardlink-through-symlink"] = (LayerImportProblem.LinkTargetMissing, host => new TarBuilder().Symlink("evil", host).HardLink("h", "evil/file")),
        ["hardlink-before-target"] = (LayerImportProblem.LinkTargetMissing, _ => new TarBuilder().HardLink("h", "later").File("later")),
        ["hardlink-to-dir"] = (LayerImportProblem.LinkTargetMissing, _ => new TarBuilder().Dir("d/").HardLink("h", "d")),
        ["nul-in-pax-path"] = (LayerImportProblem.NulInName, _ => new TarBuilder().File("x", pax: new() { ["path"] = "a\0b"u8.ToArray() })),
        ["gnu-long-name-dotdot"] = (LayerImportProblem.ParentReference, _ => new TarBuilder().GnuLongNameFile(string.Concat(Enumerable.Repeat("../", 60)) + "escape")),
        ["under-a-file"] = (LayerImportProblem.ThroughNonDirectory, _ => new TarBuilder().File("f").File("f/x")),
        ["overlay-xattr"] = (LayerImportProblem.OverlayXattr, _ => new TarBuilder().Dir("d/").File("d/x", pax: new() { ["SCHILY.xattr.trusted.overlay.redirect"] = "/etc"u8.ToArray() })),
        ["whiteout-of-dotdot"] = (LayerImportProblem.BadWhiteout, _ => new TarBuilder().File("d/.wh..", "")),
        ["opaque-root"] = (LayerImportProblem.BadWhiteout, _ => new TarBuilder().File(".wh..wh..opq", "")),
        ["sparse"] = (LayerImportProblem.UnsupportedEntry, _ => new TarBuilder().Typed(TarType.GnuSparse, "s")),
        ["bad-checksum"] = (LayerImportProblem.MalformedTar, _ => new TarBuilder().File("ok").Raw(Enumerable.Repeat((byte)'A', 512).ToArray())),
        ["truncated"] = (LayerImportProblem.MalformedTar, _ => new TarBuilder().Raw(new TarBuilder().File("big", new string('z', 4000)).Build(end: false)[..1500])),
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void ANewLowerIsRefusedAndNothingIsLeft(string name)
    {
        RootOnly.Require("layer import (owners, device nodes)");
        var (problem, tar) = HostileTars[name];
        var before = _host.Fingerprint();
        var parent = _tmp.Sub("lowers-" + name);
        var path = tar(_host.Path).WriteTo(Path.Combine(_tmp.Path, name + ".tar"), gzip: name.Contains("dotdot"));

        var e = Assert.Throws<LayerImportException>(() =>
            LayerImport.ToNewLower(path, Path.Combine(parent, "new"), new LayerImportOptions()));

        Assert.Equal(problem, e.Problem);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));     // no lower, no stage left
        Assert.Equal(before, _host.Fingerprint());
        Assert.False(File.Exists(Path.Combine(_tmp.Path, "escape")));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void AnUpperIsRefusedAndLeftAsItWas(string name)
    {
        RootOnly.Require("layer import (owners, device nodes)");
        var (problem, tar) = HostileTars[name];
        var before = _host.Fingerprint();
        var upper = _tmp.Sub("upper-" + name);
        var work = _tmp.Sub("work-" + name);
        File.WriteAllText(Path.Combine(upper, "kept"), "kept");
        Directory.CreateDirectory(Path.Combine(upper, "d"));
        Files.MakeWhiteout(Path.Combine(upper, "gone"));
        var upperBefore = TreeSnapshot.FromHost(upper, upperDir: true);
        var path = tar(_host.Path).WriteTo(Path.Combine(_tmp.Path, name + ".tar"));

        var e = Assert.Throws<LayerImportException>(() =>
            LayerImport.OntoUpper(path, upper, work, new LayerImportOptions()));

        Assert.Equal(problem, e.Problem);
        TreeSnapshot.AssertSame(upperBefore, TreeSnapshot.FromHost(upper, upperDir: true), "upper after a refused import");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(work, "work")));   // no stage left
        Assert.Equal(before, _host.Fingerprint());
    }

    [Fact]
    public void ADeviceNodeIsRefusedWhenNotRoot()
    {
        var parent = _tmp.Sub("dev");
        var path = new TarBuilder().File("ok").Device("null", 1, 3).WriteTo(Path.Combine(_tmp.Path, "dev.tar"));

        var e = Assert.Throws<LayerImportException>(() =>
            LayerImport.ToNewLower(path, Path.Combine(parent, "new"), new LayerImportOptions { DevicesAllowed = false }));

        Assert.Equal(LayerImportProblem.DeviceNeedsRoot, e.Problem);
        Assert.Equal("null", e.Entry);
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public void AnExistingDirectoryIsNeverAnImportsNewLower()
    {
        var existing = _tmp.Sub("exists");
        File.WriteAllText(Path.Combine(existing, "mine"), "mine");
        var path = new TarBuilder().File("mine", "theirs").WriteTo(Path.Combine(_tmp.Path, "t.tar"));

        var e = Assert.Throws<LayerImportException>(() => LayerImport.ToNewLower(path, existing, new LayerImportOptions()));

        Assert.Equal(LayerImportProblem.TargetExists, e.Problem);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(existing, "mine")));
    }
}
