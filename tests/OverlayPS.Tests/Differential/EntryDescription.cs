using System.Security.Cryptography;
using System.Text;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// One line saying everything compared about an entry. What is left out, and why:
/// - inode and device numbers: differ between any two copies;
/// - ctime: cannot be set, every copy has its own;
/// - atime: reads through the kernel mount touch the lower inode's atime (relatime), and
///   copy-up copies whatever atime the lower had then; it says nothing about overlay semantics;
/// - a directory's size: it depends on the directory's history in the backing filesystem
///   (ext4 never shrinks a dir), not on its entries;
/// - nlink of a char device in an upper dir: the kernel shares one whiteout inode among
///   whiteouts (and its work dir), so the count depends on its cache.
/// mtime is compared exactly when it was carried over (seeded layers and settimes use times
/// before 2020; copy-up, rename and the kernel's restoring of a parent's times keep them),
/// and only as "stamped now" when the operation set it to the current time: an instant that
/// differs between any two runs, but the kernel and the engine must agree on whether a time
/// was kept or stamped.
/// </summary>
public static class EntryDescription
{
    /// <summary>2021-01-01: seeded times lie before, times stamped by a run after.</summary>
    public const long StampedAfter = 1609459200;

    public static string Kind(FileKind k) => k switch
    {
        FileKind.Regular => "file",
        FileKind.Directory => "dir",
        FileKind.Symlink => "symlink",
        FileKind.CharDevice => "chr",
        FileKind.BlockDevice => "blk",
        FileKind.Fifo => "fifo",
        FileKind.Socket => "sock",
        _ => "unknown",
    };

    /// <param name="stampedAfter">Where "stamped now" begins: <see cref="StampedAfter"/> for
    /// generated stacks, a test's own start for stacks made with the current time.</param>
    public static string Time(PosixTime t, long stampedAfter = StampedAfter) =>
        t.Seconds >= stampedAfter ? "stamped" : $"{t.Seconds}.{t.Nanoseconds:D9}";

    /// <summary>Metadata only (what a Stat op reports).</summary>
    public static string Metadata(FileStat st, bool upperDir, long stampedAfter = StampedAfter)
    {
        var sb = new StringBuilder();
        sb.Append(Kind(st.Kind)).Append(" mode=").Append(Convert.ToString(st.Mode, 8))
          .Append(" owner=").Append(st.Uid).Append(':').Append(st.Gid);
        if (!st.IsDirectory)
            sb.Append(" size=").Append(st.Size);
        if (!(upperDir && st.Kind == FileKind.CharDevice))
            sb.Append(" nlink=").Append(st.NLink);
        if (st.Kind is FileKind.CharDevice or FileKind.BlockDevice)
            sb.Append(" rdev=").Append(st.RDev);
        sb.Append(" mtime=").Append(Time(st.MTime, stampedAfter));
        return sb.ToString();
    }

    public static string Hash(byte[] data) =>
        data.Length + "B:" + Convert.ToHexString(SHA256.HashData(data))[..16].ToLowerInvariant();

    public static string Xattrs(IEnumerable<KeyValuePair<string, byte[]>> xattrs) =>
        string.Join(",", xattrs.OrderBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => x.Key + "=0x" + Convert.ToHexString(x.Value)));
}
