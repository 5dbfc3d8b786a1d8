using System.Text;
using OverlayPS.Core.Layers;

namespace OverlayPS.Tests.Differential.Cmdlets;

/// <summary>What one script did on each side, and where the drive parted from the kernel.</summary>
public sealed class CmdletOutcome
{
    public required CmdletScript Script { get; init; }
    /// <summary>The two kernel runs disagreed: the script says nothing about the drive.</summary>
    public string? Unjudged { get; set; }
    public List<string> Divergences { get; } = new();
    public int SkippedSteps { get; set; }
    public bool Diverged => Unjudged is null && Divergences.Count > 0;

    public string Report()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"cmdlet script seed {Script.Seed}");
        sb.AppendLine($"replay: OVERLAYPS_CMDLET_SEED={Script.Seed} dotnet test tests/OverlayPS.Tests --filter FullyQualifiedName~CmdletDifferentialTests.Drive_");
        sb.AppendLine("stack:");
        sb.Append(Script.Stack);
        sb.AppendLine("steps:");
        for (int i = 0; i < Script.Steps.Count; i++)
            sb.AppendLine($"  #{i} {Script.Steps[i]}");
        sb.AppendLine("divergences:");
        foreach (var d in Divergences.Take(20))
            sb.AppendLine("  " + d);
        if (Divergences.Count > 20)
            sb.AppendLine($"  ... and {Divergences.Count - 20} more");
        return sb.ToString();
    }
}

/// <summary>
/// Runs one script three times: through the FileSystem provider on two kernel overlay mounts
/// of identical copies of its stack (a script whose two kernel runs differ is not judged), and
/// through an Overlay drive over a third copy. Compares each step's output, then the merged
/// trees (the drive's dirs mounted by the kernel afterwards), the upper dirs byte for byte and
/// the lowers (untouched by both).
/// </summary>
public static class CmdletRun
{
    public static CmdletOutcome Run(CmdletHost host, CmdletScript script)
    {
        var outcome = new CmdletOutcome { Script = script };
        using var tmp = new TempDir("ovlps-cmdlet");
        var stacks = new[] { "k1", "k2", "drive" }.Select(n => StackMaterializer.Write(script.Stack, tmp.Sub(n))).ToArray();
        using var k1 = new KernelUnion(stacks[0], Path.Combine(tmp.Path, "k1", "mnt"));
        using var k2 = new KernelUnion(stacks[1], Path.Combine(tmp.Path, "k2", "mnt"));
        var drive = $"ovdiff{script.Seed}";
        NewDrive(host, drive, stacks[2]);
        var k1Root = Path.Combine(tmp.Path, "k1", "mnt");
        var k2Root = Path.Combine(tmp.Path, "k2", "mnt");
        try
        {
            for (int i = 0; i < script.Steps.Count; i++)
            {
                var step = script.Steps[i];
                if (step.CopiedTree is not null && (FollowsDirectoryLink(k1Root + step.CopiedTree, k1Root + step.Destination)
                        || FillsFileInTheWay(k1Root + step.CopiedTree, k1Root + step.Destination))
                    || step.HardLinkTarget is not null && (Loops(k1Root + step.HardLinkTarget)
                        || DirectoryFromNewName(k1Root + step.HardLinkTarget, k1Root + step.HardLinkName))
                    || step.MovedTree is not null && FollowsDirectoryLink(k1Root + step.MovedTree, k1Root + step.Destination))
                {
                    outcome.SkippedSteps++;
                    continue;
                }
                // Past a link that climbs above the root the two sides lead to different places
                // (README: differences): from there on the script says nothing about the drive.
                if (outcome.Unjudged is null && LinkAboveRoot(k1Root) is { } above)
                    outcome.Unjudged = $"step #{i}: {above} climbs above the root";
                var a = host.Run(step, k1Root);
                var b = host.Run(step, k2Root);
                var o = host.Run(step, drive + ":");
                if (!a.SameAs(b))
                    outcome.Unjudged ??= $"step #{i}: kernel runs gave [{a}] and [{b}]";
                else if (!a.MatchedBy(o))
                    outcome.Divergences.Add($"step #{i} {step}:\n      kernel: {a}\n      drive:  {o}");
            }
        }
        finally
        {
            host.Invoke("param($n) Remove-PSDrive -Name $n", new Dictionary<string, object> { ["n"] = drive });
        }

        var mergedA = TreeSnapshot.Take(k1.View, upperDir: false);
        var mergedB = TreeSnapshot.Take(k2.View, upperDir: false);
        var upperA = Upper(k1.Finish());
        var upperB = Upper(k2.Finish());
        SortedDictionary<string, string> mergedO, upperO;
        using (var k3 = new KernelUnion(stacks[2], Path.Combine(tmp.Path, "drive", "mnt")))
        {
            mergedO = TreeSnapshot.Take(k3.View, upperDir: false);
            upperO = Upper(k3.Finish());
        }
        if (outcome.Unjudged is null && TreeSnapshot.Diff("merged", mergedA, mergedB).FirstOrDefault() is { } m)
            outcome.Unjudged = m;
        if (outcome.Unjudged is null && TreeSnapshot.Diff("upper", upperA, upperB).FirstOrDefault() is { } u)
            outcome.Unjudged = u;
        outcome.Divergences.AddRange(TreeSnapshot.Diff("merged", mergedA, mergedO));
        outcome.Divergences.AddRange(TreeSnapshot.Diff("upper", upperA, upperO));
        for (int l = 0; l < stacks[0].Lowers.Count; l++)
            outcome.Divergences.AddRange(TreeSnapshot.Diff($"lower{l + 1}",
                TreeSnapshot.Take(new DirectoryView(stacks[0].Lowers[l]), upperDir: true),
                TreeSnapshot.Take(new DirectoryView(stacks[2].Lowers[l]), upperDir: true)));
        return outcome;
    }

    static SortedDictionary<string, string> Upper(string? upper) =>
        upper is null ? new(StringComparer.Ordinal) : TreeSnapshot.Take(new DirectoryView(upper), upperDir: true);

    static void NewDrive(CmdletHost host, string name, LayerStack stack)
    {
        var p = new Dictionary<string, object> { ["Name"] = name, ["LowerDir"] = stack.Lowers.ToArray() };
        if (stack.Upper is not null)
        {
            p["UpperDir"] = stack.Upper;
            p["WorkDir"] = stack.Work!;
        }
        if (stack.XattrPrefix == "user.")
            p["UserXattr"] = true;
        host.Invoke("param($Name, $LowerDir, $UpperDir, $WorkDir, [switch] $UserXattr) " +
            "$null = New-PSDrive -Name $Name -PSProvider Overlay -Root / -LowerDir $LowerDir " +
            "-UpperDir $UpperDir -WorkDir $WorkDir -UserXattr:$UserXattr -Scope Global", p);
    }

    /// <summary>Whether a copy of a directory with content meets a file where the copy goes
    /// (the destination, or its entry of the directory's name when it is a directory).</summary>
    static bool FillsFileInTheWay(string source, string destination)
    {
        if (!Directory.Exists(source) || !Directory.EnumerateFileSystemEntries(source).Any())
            return false;
        var final = Directory.Exists(destination) ? Path.Combine(destination, Path.GetFileName(source)) : destination;
        var inTheWay = new FileInfo(final);
        return (inTheWay.Exists || inTheWay.LinkTarget is not null) && !Directory.Exists(final);
    }

    /// <summary>Whether a path is a symlink whose resolution loops (stat(2) says ELOOP).</summary>
    static bool Loops(string hostPath) =>
        Mono.Unix.Native.Syscall.stat(hostPath, out _) != 0
        && Mono.Unix.Native.Stdlib.GetLastError() == Mono.Unix.Native.Errno.ELOOP;

    /// <summary>Whether a symlink that is not a directory where it is would be one, or would
    /// loop, as a hard link of it at <paramref name="newName"/> (its relative target read from
    /// there): FileSystem writes that new name as a FileInfo whose Length it cannot read.</summary>
    static bool DirectoryFromNewName(string target, string? newName)
    {
        if (newName is null || new FileInfo(target).LinkTarget is not { } text || Directory.Exists(target))
            return false;
        var seen = text.StartsWith('/') ? text : Path.GetDirectoryName(newName) + "/" + text;
        if (Mono.Unix.Native.Syscall.stat(seen, out var st) != 0)
            return Mono.Unix.Native.Stdlib.GetLastError() == Mono.Unix.Native.Errno.ELOOP;
        return (st.st_mode & Mono.Unix.Native.FilePermissions.S_IFMT) == Mono.Unix.Native.FilePermissions.S_IFDIR;
    }

    /// <summary>A relative symlink in the tree whose target, read by its words, has more ".."
    /// than the link has parents (a Move-Item or a hard link can take one up to the root).</summary>
    static string? LinkAboveRoot(string root)
    {
        foreach (var link in LinksBelow(new DirectoryInfo(root)))
        {
            if (link.LinkTarget is not { } target || target.StartsWith('/'))
                continue;
            var union = link.FullName[root.Length..];
            int depth = union.Count(c => c == '/') - 1;
            foreach (var word in target.Split('/'))
            {
                if (word == "..")
                    depth--;
                else if (word is not ("" or "."))
                    depth++;
                if (depth < 0)
                    return $"{union} -> {target}";
            }
        }
        return null;
    }

    /// <summary>The symlinks of a tree, walked without following any (.NET's recursive
    /// enumeration goes into a link to a directory, and round a link to an ancestor forever).</summary>
    static IEnumerable<FileSystemInfo> LinksBelow(DirectoryInfo dir)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var item in dir.EnumerateFileSystemInfos("*", options))
        {
            if (item.LinkTarget is not null)
                yield return item;
            else if (item is DirectoryInfo sub)
                foreach (var link in LinksBelow(sub))
                    yield return link;
        }
    }

    /// <summary>Whether a tree (or the item itself) holds a symlink that leads to a directory,
    /// or one whose target is where the tree lands (or below), dangling or a file there now:
    /// the copy or move makes that directory, and FileSystem then follows the link into it
    /// (seed 396).</summary>
    static bool FollowsDirectoryLink(string hostPath, string destination)
    {
        try
        {
            var landing = Directory.Exists(destination) ? Path.Combine(destination, Path.GetFileName(hostPath)) : destination;
            bool Follows(FileSystemInfo i) => i.LinkTarget is { } target
                && (Directory.Exists(i.FullName) || LeadsInto(i, target, landing));
            var info = new DirectoryInfo(hostPath);
            if (info.LinkTarget is not null)
                return Follows(info);
            if (!info.Exists)
                return false;
            return info.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true })
                .Any(Follows);
        }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
    }

    /// <summary>Whether a link's target, read lexically from its directory, is <paramref name="landing"/>
    /// or below it.</summary>
    static bool LeadsInto(FileSystemInfo link, string target, string landing)
    {
        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link.FullName)!, target));
        var at = Path.GetFullPath(landing).TrimEnd('/');
        return resolved == at || resolved.StartsWith(at + "/", StringComparison.Ordinal);
    }
}
