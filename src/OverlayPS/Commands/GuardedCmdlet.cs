using System.Management.Automation;
using System.Text.Json;

namespace OverlayPS.Commands;

/// <summary>
/// The one guard of the cmdlets, as <c>OverlayProvider.Guarded</c> is the provider's: a piece
/// of a cmdlet's work runs, and what it fails with becomes one ErrorRecord, made by the row of
/// the one error table (src/OverlayPS/Errors) the caller names. Work done per item (a path, a
/// layer, an image) writes the record and the cmdlet goes on with the next item; work the
/// whole command needs (its store) ends the command with it (<c>terminating</c>).
/// <para>
/// Mapped always: the engine's I/O and access failures. With <c>input</c>, also what is wrong
/// with the input the call judges (a bad argument, a path on no drive or on another provider,
/// a drive that cannot take the operation, a store of a kind not read or whose data does not
/// parse). Anything else passes: PowerShell's own exceptions (a stop, -ErrorAction Stop, a
/// terminating error already thrown) and bugs. The engine's OperationCanceledException (it
/// polled Stopping) becomes PowerShell's stop.
/// </para>
/// </summary>
public abstract class GuardedCmdlet : PSCmdlet
{
    /// <summary>Runs <paramref name="call"/>; false when it failed and its record was written.</summary>
    protected bool Guarded(Action call, Func<Exception, ErrorRecord> record, bool input = false, bool terminating = false)
    {
        try
        {
            call();
            return true;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException || (input && IsInputFailure(e)))
        {
            if (terminating)
                ThrowTerminatingError(record(e));
            else
                WriteError(record(e));
            return false;
        }
    }

    static bool IsInputFailure(Exception e) =>
        e is ArgumentException or InvalidOperationException or SessionStateException
            or NotSupportedException or InvalidDataException or JsonException;
}
