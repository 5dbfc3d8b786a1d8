using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

namespace OverlayPS.Bench.Infra;

/// <summary>Opens the union engine over a stack, as the Overlay drive does.</summary>
public static class EngineFactory
{
    public static IUnionFileSystem Open(LayerStack stack) => new OverlayFs(stack);
}
