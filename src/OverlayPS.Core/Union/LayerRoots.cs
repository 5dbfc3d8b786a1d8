using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>A stack's layer directories already held open by the caller, in the stack's
/// order, for <see cref="OverlayFs"/> to serve instead of opening the
/// stack's paths. The engine owns them from then on, unless <paramref name="Borrowed"/>: then
/// the caller keeps them (several read-only views over one set of held layers, as a layer
/// history asks "what shows here with only the layers up to this one").</summary>
public sealed record LayerRoots(TopmostFirst<DirHandle> Lowers, DirHandle? Upper = null, DirHandle? Work = null,
    bool Borrowed = false);
