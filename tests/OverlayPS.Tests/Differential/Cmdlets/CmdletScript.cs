namespace OverlayPS.Tests.Differential.Cmdlets;

/// <summary>
/// One step of a cmdlet script: PowerShell text in which <c>$d</c> is the root of the tree
/// under test (a host directory on the kernel side, "drive:" on the Overlay side), so the same
/// text runs on both. Every path is passed with -LiteralPath (or New-Item's -Path, which does
/// not expand wildcards) and quoted, so odd names reach the provider as they are.
/// </summary>
/// <param name="Text">The command, e.g. <c>Remove-Item -LiteralPath ($d + '/a') -Recurse</c>.</param>
/// <param name="Listing">Its output is a listing: lines are compared as a set (readdir order
/// is not part of the contract).</param>
/// <param name="CopiedTree">A Copy-Item -Recurse source (union path): the step is not judged
/// when the tree holds a link to a directory, which the FileSystem provider follows (README:
/// differences), or a dangling link to where the copy goes, which becomes one on the way.</param>
/// <param name="Destination">That Copy-Item's or Move-Item's -Destination (union path): the
/// step is not judged either when a non-empty directory meets a file in the way, whose place
/// FileSystem fills with the directory's files (README: differences).</param>
/// <param name="HardLinkTarget">A New-Item HardLink -Value (union path): the step is not judged
/// when it is a symlink that loops, whose new name FileSystem then fails to write out
/// (README: differences).</param>
/// <param name="HardLinkName">That New-Item HardLink's -Path (union path): the step is not
/// judged either when the target is a symlink that, read from the new name's directory,
/// loops or leads to a directory (README: differences).</param>
/// <param name="MovedTree">A Move-Item source (union path): the step is not judged when it is
/// or holds a link to a directory, which the FileSystem provider follows when it moves a
/// directory file by file (README: differences), or a dangling link to where it goes (seed 396).</param>
public sealed record CmdletStep(string Text, bool Listing = false, string? CopiedTree = null, string? Destination = null,
    string? HardLinkTarget = null, string? HardLinkName = null, string? MovedTree = null)
{
    public override string ToString() => Text;

    /// <summary>A PowerShell single-quoted literal.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

    /// <summary>A path below the root under test, as a PowerShell expression.</summary>
    public static string PathArg(string union) => $"($d + {Quote(union)})";
}

/// <summary>A seeded script: the stack it runs on and its steps.</summary>
public sealed record CmdletScript(int Seed, StackSpec Stack, IReadOnlyList<CmdletStep> Steps);
