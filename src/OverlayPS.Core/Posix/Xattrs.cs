using System.Text;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// Extended attributes, always the l* forms: overlay markers live on whiteouts, symlinks and
/// directories, and following a link would read the wrong inode.
/// </summary>
public static class Xattrs
{
    /// <summary>The value, or null when the attribute is absent or xattrs are unsupported.</summary>
    public static byte[]? Get(string path, string name)
    {
        long n = Syscall.lgetxattr(path, name, out byte[] value);
        // Mono leaves the array null for an empty value: present and empty is not absent.
        if (n >= 0)
            return value ?? Array.Empty<byte>();
        var errno = MonoVocabulary.LastError();
        if (errno is Errno.ENODATA or Errno.EOPNOTSUPP or Errno.ENOENT)
            return null;
        throw new PosixException(errno, path, $"getxattr {name}");
    }

    public static string? GetString(string path, string name)
    {
        var v = Get(path, name);
        return v is null ? null : Encoding.UTF8.GetString(v);
    }

    public static void Set(string path, string name, byte[] value)
    {
        if (Syscall.lsetxattr(path, name, value, XattrFlags.XATTR_AUTO) != 0)
            throw PosixException.FromLastError(path, $"setxattr {name}");
    }

    public static void Set(string path, string name, string value) =>
        Set(path, name, Encoding.UTF8.GetBytes(value));

    /// <summary>Removes the attribute; absent is not an error.</summary>
    public static void Remove(string path, string name)
    {
        if (Syscall.lremovexattr(path, name) == 0)
            return;
        var errno = MonoVocabulary.LastError();
        if (errno is Errno.ENODATA)
            return;
        throw new PosixException(errno, path, $"removexattr {name}");
    }

    /// <summary>Removes the attribute; ENODATA when absent, as removexattr(2) says.</summary>
    public static void RemoveExisting(string path, string name)
    {
        if (Syscall.lremovexattr(path, name) != 0)
            throw PosixException.FromLastError(path, $"removexattr {name}");
    }

    public static string[] List(string path)
    {
        if (Syscall.llistxattr(path, out string[] names) < 0)
        {
            var errno = MonoVocabulary.LastError();
            if (errno is Errno.EOPNOTSUPP)
                return Array.Empty<string>();
            throw new PosixException(errno, path, "listxattr");
        }
        // Mono splits an empty list into one empty name: drop it (no xattr name is empty).
        return Array.FindAll(names, n => n.Length > 0);
    }
}
