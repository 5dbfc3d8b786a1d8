using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>A stack's layer directories already held open by the caller, in the stack's
/// order (lowers topmost first), for <see cref="OverlayFs"/> to serve instead of opening the
/// stack's paths.</summary>
public sealed record LayerRoots(IReadOnlyList<DirHandle> Lowers, DirHandle? Upper = null, DirHandle? Work = null);
