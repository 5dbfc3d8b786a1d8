namespace OverlayPS.Core.Archive;

/// <summary>Tar type flags (POSIX ustar, plus the pax and GNU extension headers).</summary>
public static class TarType
{
    public const byte Regular = (byte)'0', RegularOld = 0, HardLink = (byte)'1', Symlink = (byte)'2',
        CharDevice = (byte)'3', BlockDevice = (byte)'4', Directory = (byte)'5', Fifo = (byte)'6',
        Contiguous = (byte)'7', PaxLocal = (byte)'x', PaxGlobal = (byte)'g',
        GnuLongName = (byte)'L', GnuLongLink = (byte)'K', GnuSparse = (byte)'S';

    /// <summary>Types whose header carries no data whatever its size field says (Go's isHeaderOnlyType).</summary>
    public static bool IsHeaderOnly(byte type) =>
        type is HardLink or Symlink or CharDevice or BlockDevice or Directory or Fifo;
}

/// <summary>
/// One tar entry as Go's <c>archive/tar</c> Header holds it, with names as raw bytes (Linux
/// names are bytes; a tar carries them unchanged). <see cref="PaxRecords"/> are extra records
/// (docker puts <c>SCHILY.xattr.security.capability</c> there); <see cref="WantPax"/> is
/// <c>Header.Format = FormatPAX</c>, which docker's FileInfoHeader sets on every entry and the
/// opaque-dir marker it builds by hand does not: the two are encoded differently.
/// </summary>
public sealed class TarHeader
{
    public byte Type;
    public byte[] Name = Array.Empty<byte>();
    public byte[] LinkName = Array.Empty<byte>();
    /// <summary>Permission bits and, as docker writes them, the S_IF* type bits.</summary>
    public long Mode;
    public long Uid, Gid;
    /// <summary>Owner names: empty in docker 23+ layers, the daemon host's names in older ones.</summary>
    public byte[] Uname = Array.Empty<byte>(), Gname = Array.Empty<byte>();
    public long Size;
    /// <summary>Whole seconds since the epoch (docker truncates; the rest is never written).</summary>
    public long MTime;
    public long DevMajor, DevMinor;
    public SortedDictionary<string, byte[]> PaxRecords { get; } = new(StringComparer.Ordinal);
    public bool WantPax;
}
