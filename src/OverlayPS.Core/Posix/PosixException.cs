using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// A failed system call: the errno and the path it was about. Every failure of Core surfaces
/// as this type (or a subclass), so the PowerShell layer can map errno to an ErrorCategory in
/// one place without parsing messages.
/// </summary>
public class PosixException : IOException
{
    public Errno Errno { get; }
    public string? Path { get; }

    public PosixException(Errno errno, string? path, string? operation = null)
        : base(Describe(errno, path, operation), (int)errno)
    {
        Errno = errno;
        Path = path;
    }

    public PosixException(Errno errno, string? path, string message, Exception? inner)
        : base(message, inner)
    {
        Errno = errno;
        Path = path;
        HResult = (int)errno;
    }

    static string Describe(Errno errno, string? path, string? operation)
    {
        var text = StrError(errno);
        var where = path is null ? "" : $"'{path}': ";
        return operation is null ? $"{where}{text}" : $"{operation} {where}{text}";
    }

    /// <summary>The C library's text for an errno ("No such file or directory").</summary>
    public static string StrError(Errno errno)
    {
        try { return Stdlib.strerror(MonoVocabulary.ToMono(errno)) ?? errno.ToString(); }
        catch (Exception) { return errno.ToString(); }
    }

    /// <summary>Throws for the errno the last call left, naming the path.</summary>
    public static PosixException FromLastError(string? path, string? operation = null)
        => new(MonoVocabulary.LastError(), path, operation);
}
