using System.Management.Automation;
using System.Management.Automation.Provider;
using OverlayPS.Content;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Progress;

namespace OverlayPS.Provider;

/// <summary>
/// Get-Content, Set-Content, Add-Content and Clear-Content. A final symlink is followed inside
/// the union; writes open through the engine, which copies a lower file up first.
/// </summary>
public sealed partial class OverlayProvider : IContentCmdletProvider
{
    public IContentReader? GetContentReader(string path) => Guarded<IContentReader>(path, "GetContentReader", () =>
    {
        var parameters = Bound(ContentReaderParameters.From);
        if (parameters is { Raw.IsPresent: true, DelimiterGiven: true })
            ThrowTerminatingError(ErrorRecords.RawAndDelimiter(path));
        WarnIfEncodingIgnored(parameters is { AsByteStream.IsPresent: true, EncodingGiven: true });
        var (drive, union) = Locate(path);
        var fs = drive.Union;
        var real = FollowFinal(fs, union);
        if (fs.Stat(real).IsDirectory)
            throw new DriveRefusal(ErrorRecords.ReadFromDirectory(path));
        return new OverlayContentReader(fs.OpenRead(real), parameters);
    }, isRead: true);

    public object GetContentReaderDynamicParameters(string path) => new ContentReaderParameters();

    public IContentWriter? GetContentWriter(string path) => Guarded<IContentWriter>(path, "GetContentWriter", () =>
    {
        var parameters = Bound(ContentWriterParameters.From);
        WarnIfEncodingIgnored(parameters is { AsByteStream.IsPresent: true, EncodingGiven: true });
        var (drive, union) = Locate(path);
        var fs = drive.Union;
        // The FileSystem provider's own check (an InvalidOperation, not a write error).
        if (FollowedEntry(fs, union) is { IsDirectory: true })
            throw new DriveRefusal(ErrorRecords.WriteToDirectory(path));
        // The engine's open follows a final link inside the union (EISDIR for a directory),
        // and through a dangling one creates its target there, as O_CREAT does on a mount.
        var stream = WithCopyUpProgress(() => fs.OpenWrite(union, FileMode.OpenOrCreate, 0x1B6));
        return new OverlayContentWriter(stream, parameters,
            () => { using var s = fs.OpenRead(union); return ByteOrderMark.Read(s); });
    });

    public object GetContentWriterDynamicParameters(string path) => new ContentWriterParameters();

    /// <summary>Runs an engine call that may copy a big lower file up first (the first write to
    /// it), with a bar while the data copy runs longer than a moment.</summary>
    T WithCopyUpProgress<T>(Func<T> call)
    {
        var bar = new ProgressDisplay(WriteProgress, "Copy-up", "Copied up");
        try
        {
            using (CopyUpProgress.Report(bar.Show))
                return call();
        }
        finally { bar.Complete(); }
    }

    /// <remarks>Set-Content clears first (its dynamic parameters are the writer's) and turns any
    /// error written here into a terminating one with no id, category or target. The writer it
    /// opens next fails the same way and reports it properly, per path: so those failures are
    /// left to the writer, and the rest are Set-Content's (a dangling link is not found, as the
    /// writer's open would say), not Clear-Content's.</remarks>
    public void ClearContent(string path) => Guarded(path, InSetContent ? "SetContent" : "ClearContent", () =>
    {
        var (drive, union) = Locate(path);
        var fs = drive.Union;
        var real = FollowFinal(fs, union);
        if (fs.Stat(real).IsDirectory)
        {
            if (InSetContent)
                return;     // its writer reports the directory
            // The FileSystem provider's error (an InvalidOperation, not a write error).
            throw new DriveRefusal(ErrorRecords.ClearDirectory(path));
        }
        if (!ShouldProcess(path, "Clear Content"))
            return;
        fs.Truncate(real, 0);
    }, reportedLater: e => InSetContent && e is PosixException p && WriterReportsItToo(p.Errno));

    /// <summary>The FileSystem provider's warning, once per path, word for word.</summary>
    void WarnIfEncodingIgnored(bool ignored)
    {
        if (ignored)
            WriteWarning("Encoding not used when '-AsByteStream' specified.");
    }

    /// <summary>Set-Content's clear step runs with the writer's dynamic parameters.</summary>
    bool InSetContent => DynamicParameters is ContentWriterParameters or Microsoft.PowerShell.Commands.FileSystemContentWriterDynamicParameters;

    /// <summary>Errors that opening the same path for writing meets as well (so nothing is
    /// written when the clear is skipped): a read-only drive, a directory, a loop, no
    /// permission. Not a missing name: Set-Content clears only an item that exists, so that is
    /// a dangling link, which the FileSystem provider's clear refuses ("Could not find file"),
    /// and so Set-Content writes nothing (the writer would create the link's target).</summary>
    static bool WriterReportsItToo(Errno errno) => errno is Errno.EROFS
        or Errno.EISDIR or Errno.ELOOP or Errno.EACCES or Errno.EPERM or Errno.ENAMETOOLONG;

    public object? ClearContentDynamicParameters(string path) => null;
}
