using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using OverlayPS.Core.Kernel;

namespace OverlayPS.Arguments;

/// <summary>Tab completion for Dismount-Overlay: the mount points of this namespace's overlays
/// (from /proc/self/mountinfo) that start with what is typed, quoted when they need it.</summary>
public sealed class MountPointCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName,
        string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? "").Trim('\'', '"');
        IReadOnlyList<OverlayMount> mounts;
        try
        {
            mounts = OverlayMountTable.List();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<CompletionResult>();
        }
        return mounts.Select(m => m.MountPoint)
            .Where(p => p.StartsWith(word, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(p => new CompletionResult(Quote(p), p, CompletionResultType.ParameterValue, p))
            .ToList();
    }

    /// <summary>Single quotes around a path with characters PowerShell would read otherwise.</summary>
    static string Quote(string path) =>
        path.IndexOfAny(new[] { ' ', '\'', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#', '[', ']' }) < 0
            ? path
            : "'" + path.Replace("'", "''") + "'";
}
