using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

namespace OverlayPS.Bench.Infra;

/// <summary>
/// Opens the union engine over a stack. The engine (OverlayFs) lands on main in stages; until
/// it is there the bench still builds and reports "engine not on main yet" for our side.
/// </summary>
public static class EngineFactory
{
    static readonly Type? EngineType =
        typeof(IUnionFileSystem).Assembly.GetType("OverlayPS.Core.Union.OverlayFs");

    public static bool Available => EngineType is not null;

    public static IUnionFileSystem Open(LayerStack stack)
    {
        if (EngineType is null)
            throw new NotSupportedException("engine not on main yet");
        return (IUnionFileSystem)Activator.CreateInstance(EngineType, stack)!;
    }
}
