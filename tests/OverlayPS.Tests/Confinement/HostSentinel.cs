using System.Security.Cryptography;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Confinement;

/// <summary>
/// A directory of the host that hostile links point at, outside every layer dir, and a
/// fingerprint of it (every entry's kind, mode, size, mtime, ctime, inode, link count and
/// content hash) plus one of the host's /etc/passwd. Equal fingerprints before and after an
/// attack mean nothing was read into the union from, or written to, the host there (a chmod,
/// chown, utimes, hard link or rename of a host file changes ctime or the link count).
/// </summary>
public sealed class HostSentinel : IDisposable
{
    readonly TempDir _dir = new("ovlps-host-sentinel");
    public string Path => _dir.Path;
    /// <summary>Its path without the leading '/', for "../../.." climbs.</summary>
    public string Relative => Path.TrimStart('/');
    public const string FileText = "host secret";

    public HostSentinel()
    {
        File.WriteAllText(System.IO.Path.Combine(Path, "file"), FileText);
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "sub"));
        File.WriteAllText(System.IO.Path.Combine(Path, "sub", "deep"), "deep host secret");
    }

    public List<string> Fingerprint()
    {
        var lines = new List<string> { Describe(Path), Describe("/etc/passwd") };
        foreach (var p in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            lines.Add(Describe(p));
        return lines;
    }

    static string Describe(string p)
    {
        var st = Files.LStat(p);
        var hash = st.IsRegular ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : "-";
        return $"{p} {st.Kind} {Convert.ToString(st.Mode, 8)} {st.Uid}:{st.Gid} {st.Size} {st.MTime.Seconds}.{st.MTime.Nanoseconds} " +
               $"{st.CTime.Seconds}.{st.CTime.Nanoseconds} {st.Inode} {st.NLink} {hash}";
    }

    public void Dispose() => _dir.Dispose();
}
