using Native = Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// The one crossing between Mono.Posix's vocabulary and Posix/'s own (Errno, OpenFlags,
/// PosixTime): Mono stays an implementation detail of this folder.
/// </summary>
internal static class MonoVocabulary
{
    public static Errno Of(Native.Errno errno) => (Errno)Native.NativeConvert.FromErrno(errno);

    public static Native.Errno ToMono(Errno errno) => Native.NativeConvert.ToErrno((int)errno);

    /// <summary>The errno a Mono.Posix call left.</summary>
    public static Errno LastError() => Of(Native.Stdlib.GetLastError());

    public static Native.OpenFlags ToMono(OpenFlags flags) => (Native.OpenFlags)(int)flags;

    /// <summary>The running architecture's open(2) bits.</summary>
    public static int NativeBits(OpenFlags flags) => Native.NativeConvert.FromOpenFlags(ToMono(flags));

    public static PosixTime Of(Native.Timespec t) => new(t.tv_sec, t.tv_nsec);

    public static Native.Timespec ToMono(PosixTime t) => new() { tv_sec = t.Seconds, tv_nsec = t.Nanoseconds };
}
