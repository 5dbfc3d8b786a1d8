using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using OverlayPS.Items;

namespace OverlayPS.Tests.Differential.Cmdlets;

/// <summary>
/// One PowerShell runspace with the OverlayPS module loaded, in this process (a runspace per
/// script would cost more than the script). Runs one step with <c>$d</c> set to a root and
/// returns what a user would look at, one line per output object: items as name, kind and
/// length; values as text; errors as their category (ids are each provider's own).
/// </summary>
public sealed class CmdletHost : IDisposable
{
    readonly Runspace _runspace;

    public CmdletHost()
    {
        var iss = InitialSessionState.CreateDefault();
        iss.ImportPSModule(typeof(OverlayPS.Provider.OverlayProvider).Assembly.Location);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
        Invoke("$ProgressPreference = 'SilentlyContinue'; $ConfirmPreference = 'None'; $ErrorActionPreference = 'Continue'");
    }

    /// <summary>Runs a command that must succeed (drive set-up), returning its output.</summary>
    public IList<PSObject> Invoke(string script, IDictionary? parameters = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        if (parameters is not null)
            ps.AddParameters(parameters);
        var result = ps.Invoke();
        if (ps.HadErrors)
            throw new InvalidOperationException($"'{script}' failed: {string.Join("; ", ps.Streams.Error)}");
        return result;
    }

    /// <summary>One step on the tree rooted at <paramref name="root"/>: the lines compared,
    /// and the error messages (for reports only: the two providers word them differently).</summary>
    public StepResult Run(CmdletStep step, string root)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        // Errors go to the output stream, in order with what the step writes.
        ps.AddScript("param($d) & { " + step.Text + " } 2>&1").AddArgument(root);
        var lines = new List<string>();
        var messages = new List<string>();
        try
        {
            foreach (var o in ps.Invoke())
            {
                lines.Add(Line(o));
                if (o?.BaseObject is ErrorRecord e)
                    messages.Add(Trace ? e.Exception.ToString() : e.Exception.Message);
            }
        }
        catch (RuntimeException e)
        {
            lines.Add("TERMINATING " + e.ErrorRecord.CategoryInfo.Category);
            messages.Add(e.Message);
        }
        foreach (var w in ps.Streams.Warning)
            lines.Add("WARNING " + w.Message);
        if (step.Listing)
            lines.Sort(StringComparer.Ordinal);
        return new StepResult(lines, messages);
    }

    /// <summary>OVERLAYPS_CMDLET_TRACE=1: reports carry each error's whole exception.</summary>
    static readonly bool Trace = Environment.GetEnvironmentVariable("OVERLAYPS_CMDLET_TRACE") == "1";

    static string Line(PSObject? o)
    {
        switch (o?.BaseObject)
        {
            case null:
                return "NULL";
            case ErrorRecord e:
                return "ERR " + e.CategoryInfo.Category;
            case FileSystemInfo or OverlayItem:
                var container = o.Properties["PSIsContainer"]?.Value is true;
                var name = o.Properties["Name"]?.Value;
                var length = container ? "" : " length=" + o.Properties["Length"]?.Value;
                return $"ITEM {name} container={container}{length}";
            default:
                return "VALUE " + o;
        }
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What one step wrote, as compared lines, and its error messages.</summary>
public sealed record StepResult(List<string> Lines, List<string> Messages)
{
    public override string ToString() =>
        string.Join(" | ", Lines) + (Messages.Count == 0 ? "" : "   (" + string.Join(" / ", Messages) + ")");

    public bool SameAs(StepResult other) => Lines.SequenceEqual(other.Lines);

    /// <summary>The drive's answer matches the kernel's: the same lines, except that where
    /// the FileSystem provider only says NotSpecified the drive may name a category.</summary>
    public bool MatchedBy(StepResult drive) =>
        Lines.Count == drive.Lines.Count && Lines.Zip(drive.Lines).All(p =>
            p.First == p.Second || (p.First.EndsWith(" NotSpecified", StringComparison.Ordinal)
                && p.Second.StartsWith(p.First[..^"NotSpecified".Length], StringComparison.Ordinal)));
}
