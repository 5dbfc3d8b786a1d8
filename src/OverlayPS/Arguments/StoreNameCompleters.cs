using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;

namespace OverlayPS.Arguments;

/// <summary>
/// Tab completion of image tags (-Image, Get-OverlayImage/Measure-OverlayImage names) and
/// container names (-Container, Get-OverlayContainer names) from the store named by -Store on
/// the same line (default /var/lib/docker). A store that cannot be opened completes nothing.
/// </summary>
public abstract class DockerNameCompleter : IArgumentCompleter
{
    /// <summary>The names this completer offers from an open store.</summary>
    protected abstract IEnumerable<string> Names(ImageStore store);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        ImageStore store;
        try
        {
            store = ImageStore.Open(StoreRoot(fakeBoundParameters), fakeBoundParameters["Namespace"] as string);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsupportedStoreException
            or System.Text.Json.JsonException or ArgumentException or RuntimeException)
        {
            return Array.Empty<CompletionResult>();
        }
        return Names(store)
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
            .ToList();
    }

    /// <summary>-Store as typed (relative to the FileSystem location), or the default root.</summary>
    internal static string StoreRoot(IDictionary bound)
    {
        var typed = bound["Store"] as string;
        if (string.IsNullOrEmpty(typed))
            return DockerStore.DefaultRoot;
        // A completer runs inside the completion pipeline: session state is reached through a
        // nested PowerShell on the current runspace (SessionStateProxy refuses a second caller),
        // then resolved as the cmdlets resolve -Store.
        using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddScript("$ExecutionContext.SessionState");
        var session = ps.Invoke<SessionState>().FirstOrDefault();
        return session is null ? System.IO.Path.GetFullPath(typed) : HostPath.Resolve(session, typed);
    }
}

/// <summary>Image tags (sorted), then the short ids of untagged images that are not a build's
/// intermediate steps (the ones docker images lists as &lt;none&gt;).</summary>
public sealed class DockerImageNameCompleter : DockerNameCompleter
{
    protected override IEnumerable<string> Names(ImageStore store) =>
        store.Images.SelectMany(i => i.Tags).OrderBy(t => t, StringComparer.OrdinalIgnoreCase)
            .Concat(store.Images.Where(i => i.Tags.Count == 0 && !i.IsIntermediate).Select(i => i.ShortId).Order());
}

/// <summary>Container names, sorted.</summary>
public sealed class DockerContainerNameCompleter : DockerNameCompleter
{
    protected override IEnumerable<string> Names(ImageStore store) =>
        store.Containers.Select(c => c.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The namespaces of the containerd store -Store names (none for other stores).</summary>
public sealed class ContainerdNamespaceCompleter : DockerNameCompleter
{
    protected override IEnumerable<string> Names(ImageStore store) =>
        store is OverlayPS.Core.Containerd.ContainerdStore c ? c.Namespaces.Order(StringComparer.Ordinal) : Array.Empty<string>();
}
