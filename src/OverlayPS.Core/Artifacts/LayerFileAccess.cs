using Microsoft.Win32.SafeHandles;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Artifacts;

/// <summary>What opening a file beneath a layer found.</summary>
public enum LayerFileOpen { Opened, Missing, Symlink, NotRegular }

/// <summary>
/// Opens the files of an unpacked layer for reading: beneath its held diff dir with openat2
/// (no symlink or ".." anywhere on the way), O_NONBLOCK | O_NOCTTY so a FIFO or device planted
/// where a file belongs cannot block, then fstat'ed: only a regular file is handed back. The
/// one place in Artifacts that names the Posix open flags and errnos.
/// </summary>
internal static class LayerFileAccess
{
    public static LayerFileOpen OpenRegular(DirHandle dir, string relative, out SafeFileHandle? handle, out FileStat stat)
    {
        handle = null;
        stat = default;
        SafeFileHandle h;
        try { h = dir.OpenFileBeneath(relative, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOCTTY); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR) { return LayerFileOpen.Missing; }
        catch (PosixException e) when (e.Errno is Errno.ELOOP or Errno.EXDEV) { return LayerFileOpen.Symlink; }
        stat = OpenFiles.FStat(h, dir.Describe(relative));
        if (!stat.IsRegular)
        {
            h.Dispose();
            return LayerFileOpen.NotRegular;
        }
        handle = h;
        return LayerFileOpen.Opened;
    }

    /// <summary>A directory beneath the layer root (no symlink on the way); null when it is gone.</summary>
    public static DirHandle? OpenDir(DirHandle dir, string relative)
    {
        try { return dir.OpenBeneath(relative); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP or Errno.EXDEV) { return null; }
    }

    /// <summary>A regular store file (a tar-split) beneath the store root, as a stream; null when absent.</summary>
    public static FileStream? OpenStoreFile(DirHandle root, string relative, long maxBytes, out LayerFileOpen status)
    {
        status = OpenRegular(root, relative, out var h, out var st);
        if (status != LayerFileOpen.Opened)
            return null;
        if (st.Size > maxBytes)
        {
            h!.Dispose();
            throw new InvalidDataException($"'{root.Describe(relative)}' is {st.Size} bytes, larger than any tar-split ({maxBytes}): it is not read.");
        }
        return new FileStream(h!, FileAccess.Read, 1 << 16);
    }
}
