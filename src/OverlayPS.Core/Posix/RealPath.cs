using System.Runtime.InteropServices;

namespace OverlayPS.Core.Posix;

/// <summary>realpath(3): every symlink and ".." resolved, as the kernel names the inode.</summary>
public static partial class RealPath
{
    public static string Resolve(string path)
    {
        nint p = realpath(path, 0);
        if (p == 0)
            throw new PosixException(AtCalls.LastErrno, path, "realpath");
        try { return Marshal.PtrToStringUTF8(p)!; }
        finally { free(p); }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc")]
    private static partial void free(nint p);
}
