using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Kernel;

/// <summary>Every bad input is caught before the kernel sees it, with a message naming the dir.</summary>
public class MountValidationTests
{
    static T Refused<T>(TempDir t, string mp, OverlayMountRequest request) where T : Exception
    {
        var e = Assert.Throws<T>(() => OverlayMounter.Mount(request));
        Assert.Null(OverlayMountTable.At(mp));
        return e;
    }

    static LayerStackException RefusedStack(TempDir t, string mp, LayerStack stack, LayerStackProblem problem, string dirInMessage)
    {
        var e = Refused<LayerStackException>(t, mp, new OverlayMountRequest(mp, stack));
        Assert.Equal(problem, e.Problem);
        Assert.Contains(dirInMessage, e.Message);
        return e;
    }

    [SkippableFact]
    public void Missing_dirs_are_named()
    {
        RootOnly.Require("the mount checks");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var missing = Path.Combine(t.Path, "no such");
        RefusedStack(t, mp, new LayerStack(new[] { t.Sub("a"), missing }), LayerStackProblem.Missing, missing);
        RefusedStack(t, mp, new LayerStack(new[] { t.Sub("a") }, missing, t.Sub("w")), LayerStackProblem.Missing, missing);

        var noMp = Path.Combine(t.Path, "no mount point");
        var e = Assert.Throws<OverlayMountRequestException>(() =>
            OverlayMounter.Mount(new OverlayMountRequest(noMp, new LayerStack(new[] { t.Sub("a"), t.Sub("b") }))));
        Assert.Equal(OverlayMountProblem.MountPointMissing, e.Problem);
        Assert.Contains(noMp, e.Message);
    }

    [SkippableFact]
    public void A_work_dir_with_foreign_content_is_refused_but_the_kernels_own_leftovers_are_not()
    {
        RootOnly.Require("mounting an overlay");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var stack = new LayerStack(new[] { t.Sub("l") }, t.Sub("u"), t.Sub("w"));
        // A previous mount of the same stack leaves work/work behind: mounting again is fine.
        OverlayMounter.Mount(new OverlayMountRequest(mp, stack));
        Unmounts.Overlay(mp);
        Assert.True(Directory.Exists(Path.Combine(stack.Work!, "work")));
        OverlayMounter.Mount(new OverlayMountRequest(mp, stack));
        Unmounts.Overlay(mp);

        File.WriteAllText(Path.Combine(stack.Work!, "stray"), "x");
        var e = RefusedStack(t, mp, stack, LayerStackProblem.WorkNotEmpty, stack.Work!);
        Assert.Contains("stray", e.Message);
    }

    [SkippableFact]
    public void A_work_dir_on_another_filesystem_than_the_upper_is_refused()
    {
        RootOnly.Require("mounting a tmpfs");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var other = t.Sub("other");
        Mount.MountFs("tmpfs", other, "tmpfs", 0, "size=1m");
        try
        {
            RefusedStack(t, mp, new LayerStack(new[] { t.Sub("l") }, t.Sub("u"), other), LayerStackProblem.WorkOnOtherFilesystem, other);
        }
        finally { Unmounts.Any(other); }
    }

    [SkippableFact]
    public void Nested_layers_are_refused()
    {
        RootOnly.Require("the mount checks");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var lower = t.Sub("lower");
        var inner = t.Sub("lower/inner");
        // The kernel itself lets an upper inside a lower through (undefined behaviour per
        // overlayfs.rst); we do not.
        var e = RefusedStack(t, mp, new LayerStack(new[] { lower, t.Sub("l2") }, inner, t.Sub("w")), LayerStackProblem.Nested, inner);
        Assert.Contains("is inside the lower directory", e.Message);
        RefusedStack(t, mp, new LayerStack(new[] { lower, inner }), LayerStackProblem.Nested, inner);
        RefusedStack(t, mp, new LayerStack(new[] { inner, t.Sub("l3") }, lower, t.Sub("w2")), LayerStackProblem.Nested, inner);
    }

    [SkippableFact]
    public void The_same_dir_twice_is_refused()
    {
        RootOnly.Require("the mount checks");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var a = t.Sub("a");
        RefusedStack(t, mp, new LayerStack(new[] { a, t.Sub("b"), a + "/" }), LayerStackProblem.UsedTwice, a);
        RefusedStack(t, mp, new LayerStack(new[] { a }, a, t.Sub("w")), LayerStackProblem.UsedTwice, a);
    }

    [SkippableFact]
    public void More_than_500_lowers_are_refused()
    {
        RootOnly.Require("the mount checks");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var lowers = Enumerable.Range(0, LayerStack.MaxLowers + 1).Select(i => t.Sub($"l{i}")).ToArray();
        var e = RefusedStack(t, mp, new LayerStack(lowers), LayerStackProblem.TooManyLayers, "at most 500");
        Assert.Contains("501", e.Message);
    }

    [SkippableFact]
    public void A_read_only_stack_needs_two_lowers()
    {
        RootOnly.Require("the mount checks");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var only = t.Sub("only");
        var e = Refused<OverlayMountRequestException>(t, mp, new OverlayMountRequest(mp, new LayerStack(new[] { only })) { ReadOnly = true });
        Assert.Equal(OverlayMountProblem.ReadOnlyNeedsTwoLowers, e.Problem);
        Assert.Contains(only, e.Message);
    }

    [SkippableFact]
    public void Layers_smuggled_in_through_extra_options_are_refused()
    {
        RootOnly.Require("the mount checks");
        using var t = new TempDir("ovlps-bad");
        var mp = t.Sub("m");
        var e = Refused<OverlayMountRequestException>(t, mp,
            new OverlayMountRequest(mp, new LayerStack(new[] { t.Sub("a"), t.Sub("b") })) { ExtraOptions = new[] { "lowerdir+=/etc" } });
        Assert.Equal(OverlayMountProblem.LayerInOption, e.Problem);
    }

    [Fact]
    public void The_initial_user_namespace_is_not_nested()
    {
        // The test host runs in the initial namespace (CI and here); the nested case is checked
        // for real by the Pester suite under unshare -Urm.
        if (File.ReadAllText("/proc/self/uid_map").Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["0", "0", "4294967295\n"] or ["0", "0", "4294967295"])
            Assert.False(UserNamespace.IsNested);
        else
            Assert.True(UserNamespace.IsNested);
    }
}
