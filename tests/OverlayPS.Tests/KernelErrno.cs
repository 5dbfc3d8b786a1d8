using Native = Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests;

/// <summary>
/// Tests call the kernel directly (on a kernel overlay mount, the oracle) through Mono.Posix;
/// this turns what those calls leave into Core's own vocabulary so results compare with the
/// engine's.
/// </summary>
static class KernelErrno
{
    /// <summary>The errno the last Mono.Posix call left, as Core names it.</summary>
    public static Errno Last() => (Errno)Native.NativeConvert.FromErrno(Native.Stdlib.GetLastError());

    public static Native.OpenFlags ToMono(OpenFlags flags) => (Native.OpenFlags)(int)flags;

    public static Native.Timespec ToMono(PosixTime t) => new() { tv_sec = t.Seconds, tv_nsec = t.Nanoseconds };
}
