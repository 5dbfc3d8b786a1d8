using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Errors;

namespace OverlayPS.Provider;

/// <summary>
/// The one wrapper around the provider's item and content calls (as SHiPS wraps each provider
/// call): the call runs, and whatever it fails with becomes one ErrorRecord for its path, from
/// the one error table. A refusal the drive decides itself is thrown as a
/// <see cref="DriveRefusal"/> carrying its record; an engine failure (an errno, an I/O or
/// access error) is mapped for the operation; with <c>arguments</c> a bad argument is the
/// operation's InvalidArgument. Anything else (PowerShell's own terminating errors, a bug) is
/// not an error of the item and passes.
/// </summary>
public sealed partial class OverlayProvider
{
    /// <returns>Whether the call ran to its end (no error).</returns>
    /// <param name="reportedLater">An engine failure a later call of the same command reports
    /// for this path (Set-Content clears, then opens its writer): not written twice.</param>
    bool Guarded(string path, string operation, Action call, bool isRead = false, bool arguments = false,
        Func<Exception, bool>? reportedLater = null)
    {
        try
        {
            call();
            return true;
        }
        catch (DriveRefusal r)
        {
            WriteError(r.Record);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || (arguments && e is ArgumentException))
        {
            if (reportedLater?.Invoke(e) != true)
                WriteError(ErrorRecords.ForItem(e, path, operation, isRead));
        }
        return false;
    }

    T? Guarded<T>(string path, string operation, Func<T?> call, bool isRead = false) where T : class
    {
        T? result = null;
        Guarded(path, operation, () => { result = call(); }, isRead);
        return result;
    }

    /// <summary>New-PSDrive's guard: a stack or store that cannot be opened is one error for the
    /// drive's name and no drive. InvalidDataException: the store lacks or refuses a layer the
    /// image or container needs; NotSupportedException: a store kind that cannot serve a view.</summary>
    OverlayDriveInfo? GuardedNewDrive(string driveName, Func<OverlayDriveInfo> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException)
        {
            WriteError(ErrorRecords.From(e, driveName));
            return null;
        }
    }

    /// <summary>The drive's own refusal of an operation, as the errno the kernel would give.</summary>
    static DriveRefusal Refuse(Errno errno, string psPath, string operation) =>
        new(ErrorRecords.ForErrno(errno, psPath, operation));
}
