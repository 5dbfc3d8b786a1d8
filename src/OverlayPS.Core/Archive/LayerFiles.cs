using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>The file calls export and import make beneath a held directory: whole-second
/// mtimes (all a layer tar keeps), a file opened for reading, a new file that is never an
/// existing one and never reached through a symlink (O_EXCL | O_NOFOLLOW).</summary>
internal static class LayerFiles
{
    public static long Seconds(in FileStat st) => st.MTime.Seconds;

    public static void SetMTime(DirHandle dir, string name, long seconds)
    {
        var t = new PosixTime(seconds, 0);
        dir.SetTimes(name, t, t);
    }

    public static FileStream OpenRead(DirHandle dir, string name) =>
        OpenFiles.ToStream(dir.OpenFile(name, OpenFlags.O_RDONLY), FileAccess.Read, 1 << 16);

    public static FileStream CreateNew(DirHandle dir, string name, uint mode) =>
        OpenFiles.ToStream(dir.OpenFile(name, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, mode),
            FileAccess.Write, 1 << 16);
}
