namespace OverlayPS.Core.Kernel;

/// <summary>
/// One line of /proc/self/mountinfo (Documentation/filesystems/proc.rst, "3.5 mountinfo"):
/// "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
/// Root, MountPoint and Source are octal-unescaped; SuperOptions stays raw because a ','
/// inside a value is still "\054" there, so the raw text splits on ',' without ambiguity.
/// </summary>
public sealed record MountInfo(
    int MountId,
    int ParentId,
    string Device,
    string Root,
    string MountPoint,
    string MountOptions,
    string FsType,
    string Source,
    string SuperOptions)
{
    public const string SelfPath = "/proc/self/mountinfo";

    /// <summary>Parses one line; null for a line that does not have the mountinfo shape.</summary>
    public static MountInfo? Parse(string line)
    {
        var f = line.Split(' ');
        if (f.Length < 10)
            return null;
        int dash = Array.IndexOf(f, "-", 6);
        if (dash < 0 || f.Length < dash + 4)
            return null;
        if (!int.TryParse(f[0], out int id) || !int.TryParse(f[1], out int parent))
            return null;
        return new MountInfo(id, parent, f[2],
            OverlayOptionEscaping.OctalUnescape(f[3]),
            OverlayOptionEscaping.OctalUnescape(f[4]),
            f[5],
            OverlayOptionEscaping.OctalUnescape(f[dash + 1]),
            OverlayOptionEscaping.OctalUnescape(f[dash + 2]),
            f[dash + 3]);
    }

    public static IEnumerable<MountInfo> ReadAll(string file = SelfPath)
    {
        foreach (var line in File.ReadLines(file))
        {
            var m = Parse(line);
            if (m is not null)
                yield return m;
        }
    }

    /// <summary>The super options, split and octal-unescaped ("lowerdir=/a\:b" keeps the
    /// overlay escape, which only the overlay options know how to read).</summary>
    public IReadOnlyList<string> SuperOptionList =>
        SuperOptions.Split(',').Select(OverlayOptionEscaping.OctalUnescape).ToArray();

    public bool IsReadOnly =>
        MountOptions.Split(',').Contains("ro") || SuperOptions.Split(',').Contains("ro");
}
