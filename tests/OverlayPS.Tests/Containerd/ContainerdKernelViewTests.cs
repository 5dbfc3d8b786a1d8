using OverlayPS.Core.Containerd;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Docker;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Containerd;

/// <summary>
/// What the kernel shows judges the engine: each image and container of the containerd fixture
/// is mounted read-only with the kernel's overlayfs from its snapshot dirs (as the snapshotter
/// would mount them), and the engine's view over the held dirs must list the same tree; a
/// container's changes must be what moby's differ finds between the kernel's merged view of
/// its snapshot and of its parent.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class ContainerdKernelViewTests
{
    readonly ContainerdFixture _fx;
    public ContainerdKernelViewTests(ContainerdFixture fx) => _fx = fx;

    public static TheoryData<string, string> Containers => new()
    {
        { "default", "c-ran" }, { "default", "c-created" }, { "default", "c-base" },
        { "moby", "bd7e3f293766857aa55aa49adea5b8be2b2c83b18dc076d5155fe3f78afac50f" },
    };

    [SkippableTheory]
    [MemberData(nameof(Containers))]
    public void A_containers_changes_are_its_kernel_view_against_its_parents(string ns, string name)
    {
        RootOnly.Require("kernel overlay mounts");
        var store = _fx.Open(ns);
        var c = Assert.Single(store.FindContainers(name));
        var rw = c.GetRwLayer()!;
        var lowers = c.GetLowerLayers();
        List<string> oracle;
        using (var now = KernelView(new[] { rw }.Concat(lowers).ToList(), "now"))
        using (var before = KernelView(lowers, "before"))
            oracle = KernelChangeTests.MergedTreeChanges(now.Path, before.Path);
        var set = store.GetChanges(rw);
        var ours = set.Changes.Select(x => x.ToString()).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.Equal(oracle, ours);
        Assert.All(set.Changes, x => Assert.Equal(ns, x.Namespace));
        Assert.All(set.Changes, x => Assert.Equal(c.Name, x.Container));
        if (name == "c-ran")
        {
            Assert.True(ours.Count > 40, string.Join("\n", ours));
            Assert.Contains("A /direct-add.txt", ours);     // written into fs/ directly, not through the mount
            Assert.Contains("D /app/empty-file", ours);     // mknod c 0 0 (mode 644) there: a whiteout
        }
    }

    [SkippableTheory]
    [InlineData("default")]
    [InlineData("moby")]
    public void Every_image_and_container_view_lists_what_the_kernel_mount_shows(string ns)
    {
        RootOnly.Require("kernel overlay mounts");
        var store = _fx.Open(ns);
        int views = 0;
        foreach (var img in store.Images)
        {
            using var kernel = KernelView(img.GetLayers().Reverse().Select(l => l!).ToList(), "img");
            MergedViewTests.AssertSameTree(KernelListing(kernel.Path), MergedViewTests.Listing(store.OpenImage(img)), img.Name);
            views++;
        }
        foreach (var c in store.Containers)
        {
            using var kernel = KernelView(new[] { c.GetRwLayer()! }.Concat(c.GetLowerLayers()).ToList(), "ctr");
            MergedViewTests.AssertSameTree(KernelListing(kernel.Path), MergedViewTests.Listing(store.OpenContainer(c)), c.Name);
            views++;
        }
        Assert.Equal(ns == "default" ? 5 : 3, views);
    }

    /// <summary>The kernel's read-only view of snapshot dirs (topmost first), as the snapshotter
    /// mounts a view: lowerdir= only. One dir is its own view (the snapshotter bind-mounts it);
    /// none is an empty dir.</summary>
    sealed class View : IDisposable
    {
        public required string Path { get; init; }
        public KernelOverlay? Mount { get; init; }
        public void Dispose() => Mount?.Dispose();
    }

    View KernelView(IReadOnlyList<DockerLayer> topFirst, string name)
    {
        var dirs = topFirst.Select(l => l.DiffPath).ToArray();
        if (dirs.Length == 1)
            return new View { Path = dirs[0] };
        var mp = _fx.ScratchDir($"{name}-{Guid.NewGuid():N}");
        return dirs.Length == 0 ? new View { Path = mp } : new View { Path = mp, Mount = KernelOverlay.ReadOnly(mp, dirs) };
    }

    /// <summary>path -> "mode uid/gid size target", the format of MergedViewTests.Listing.</summary>
    static Dictionary<string, string> KernelListing(string root)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var st = Files.LStat(p);
            var target = st.IsSymlink ? Files.ReadLink(p) : "";
            result[Path.GetRelativePath(root, p)] = $"{MergedViewTests.ModeString(st)} {st.Uid}/{st.Gid} {(st.IsRegular ? st.Size : 0)} {target}";
        }
        return result;
    }
}
