using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>
/// The only place Archive/ names the time and open-flag types Posix/ takes today: the lead is
/// replacing them with Posix-owned ones (issue 12), and then only this file changes.
/// </summary>
internal static class PosixVocabulary
{
    public static long Seconds(in FileStat st) => st.MTime.tv_sec;

    public static void SetMTime(DirHandle dir, string name, long seconds)
    {
        var t = new Timespec { tv_sec = seconds, tv_nsec = 0 };
        dir.SetTimes(name, t, t);
    }

    public static FileStream OpenRead(DirHandle dir, string name) =>
        OpenFiles.ToStream(dir.OpenFile(name, OpenFlags.O_RDONLY), FileAccess.Read, 1 << 16);

    /// <summary>A new regular file (O_EXCL: never an existing one, never through a symlink).</summary>
    public static FileStream CreateNew(DirHandle dir, string name, uint mode) =>
        OpenFiles.ToStream(dir.OpenFile(name, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL, mode),
            FileAccess.Write, 1 << 16);
}
