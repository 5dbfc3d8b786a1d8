using OverlayPS.Core.Posix;

namespace OverlayPS.Items;

/// <summary>
/// FileSystemInfo's Attributes and times on Linux, as .NET computes them (FileStatus.Unix.cs in
/// dotnet/runtime), so an Overlay item answers and changes them the way a FileInfo does:
/// ReadOnly is "readable but not writable" by the bits that apply to the current user, Hidden
/// is a dot-name, ReparsePoint a symlink; setting Attributes can only change ReadOnly, which
/// takes every write bit away, or gives the owner's back.
/// </summary>
public static class UnixAttributes
{
    const uint AllWrite = 0x92;   // 0222
    const uint UserWrite = 0x80;  // 0200
    const uint UserRead = 0x100;  // 0400

    public static FileAttributes Of(string name, FileStat st, bool isDirectory)
    {
        FileAttributes a = 0;
        if (isDirectory)
            a |= FileAttributes.Directory;
        if (st.Kind != FileKind.Symlink && IsReadOnly(st))
            a |= FileAttributes.ReadOnly;
        if (st.Kind == FileKind.Symlink)
            a |= FileAttributes.ReparsePoint;
        if (name.Length > 0 && name[0] == '.')
            a |= FileAttributes.Hidden;
        return a == 0 ? FileAttributes.Normal : a;
    }

    /// <summary>.NET's rule: read permission without write permission, in the class of bits
    /// (owner, group, other) that applies to the current process. Supplementary groups are not
    /// consulted (only the effective gid): a difference only when group and other bits differ.</summary>
    public static bool IsReadOnly(FileStat st)
    {
        bool user = (st.Mode & 0x100) != 0 && (st.Mode & 0x80) == 0;
        bool group = (st.Mode & 0x20) != 0 && (st.Mode & 0x10) == 0;
        bool other = (st.Mode & 0x4) != 0 && (st.Mode & 0x2) == 0;
        if (user == group && group == other)
            return user;
        if (st.Uid == Files.CurrentUid)
            return user;
        if (group == other)
            return group;
        // Neither owner nor group: .NET takes the majority of the three classes (seen on
        // .NET 10 as root: 0775 and 0705 are writable, 0755 and 0575 read-only).
        return st.Gid == Files.CurrentGid ? group : user;
    }

    /// <summary>The permission bits after setting <paramref name="attributes"/>: only
    /// ReadOnly has a meaning on Linux (Hidden is the name; the rest do not exist here).</summary>
    public static uint ModeAfter(uint mode, FileAttributes attributes) =>
        (attributes & FileAttributes.ReadOnly) != 0 ? mode & ~AllWrite
        : (mode & UserRead) != 0 ? mode | UserWrite
        : mode;
}
