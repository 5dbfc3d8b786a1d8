using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>
/// A scratch stack: upper U, lowers L1 (topmost) .. L3, a work dir, and helpers to open the
/// engine over it and to mount the kernel over it (or over a copy of it).
/// </summary>
public sealed class Layers : IDisposable
{
    readonly TempDir _dir = new("ovlps-union");
    public string Base => _dir.Path;
    public LayerBuilder U { get; }
    public LayerBuilder L1 { get; }
    public LayerBuilder L2 { get; }
    public LayerBuilder L3 { get; }
    public string Work { get; }
    public string XattrPrefix { get; }

    public Layers(bool userXattr = false)
    {
        XattrPrefix = userXattr ? "user." : "trusted.";
        U = new LayerBuilder(_dir.Sub("upper"), XattrPrefix);
        L1 = new LayerBuilder(_dir.Sub("lower1"), XattrPrefix);
        L2 = new LayerBuilder(_dir.Sub("lower2"), XattrPrefix);
        L3 = new LayerBuilder(_dir.Sub("lower3"), XattrPrefix);
        Work = _dir.Sub("work");
    }

    public LayerStack Stack(bool withUpper = true, int lowers = 3) =>
        new(new[] { L1.Root, L2.Root, L3.Root }.Take(lowers),
            withUpper ? U.Root : null, withUpper ? Work : null, userXattr: XattrPrefix == "user.");

    public OverlayFs Engine(bool withUpper = true, int lowers = 3, OverlayFsOptions? options = null) =>
        new(Stack(withUpper, lowers), options);

    public KernelOverlay Kernel(bool withUpper = true, int lowers = 3) =>
        new(Stack(withUpper, lowers), Path.Combine(Base, "mnt"));

    public void Dispose() => _dir.Dispose();
}
