using Xunit.Abstractions;

namespace OverlayPS.Tests.Differential.Cmdlets;

/// <summary>
/// The cmdlet differential harness (issue 13): seeded scripts of item and content cmdlets,
/// through the FileSystem provider on a kernel overlay mount and through an Overlay drive.
/// Settings, all optional:
///   OVERLAYPS_CMDLET_SCRIPTS     how many seeded scripts (default 300; thousands for a long run)
///   OVERLAYPS_CMDLET_FIRST_SEED  first seed of the range (default 1)
///   OVERLAYPS_CMDLET_SEED        run just this seed (replay)
///   OVERLAYPS_CMDLET_REPORT      a file to append divergence reports to
///   OVERLAYPS_CMDLET_PROGRESS    a file each seed is appended to as it starts (to find one that hangs)
///   OVERLAYPS_CMDLET_TRACE=1     reports carry each error's whole exception
/// </summary>
public class CmdletDifferentialTests
{
    readonly ITestOutputHelper _out;

    public CmdletDifferentialTests(ITestOutputHelper output) => _out = output;

    /// <summary>
    /// Seeds whose scripts once diverged, each named for what the drive did wrong; run on every
    /// test run, so a fixed divergence stays fixed. Add one whenever a long run finds a new kind.
    /// </summary>
    public static readonly TheoryData<int, string> OnceDiverged = new()
    {
        { 2, "New-Item HardLink to a directory is InvalidOperation" },
        { 4, "Move-Item of a directory onto a file with -Force is ResourceExists" },
        { 7, "New-Item Directory -Force over an existing item is silent" },
        { 9, "New-Item Directory -Force on a read-only drive is silent" },
        { 13, "Remove-Item -Recurse removes a link to a directory once" },
        { 24, "Read-only attribute: the majority of the three classes, as .NET (0775 is writable)" },
        { 29, "Rename-Item of a file to its own name on a read-only drive is a WriteError" },
        { 31, "Copy-Item drops setuid as File.Copy does" },
        { 54, "New-Item SymbolicLink -Force onto a non-empty directory fails twice, as Directory.Delete does" },
        { 70, "Copy-Item -Force makes the missing destination directory" },
        { 73, "Remove-Item -Force makes a read-only file writable first, which its other name keeps" },
        { 88, "Move-Item onto another name of the same file does nothing" },
        { 102, "Copy-Item of a directory onto itself is a WriteError" },
        { 128, "Copy-Item of a file onto a directory is PermissionDenied" },
        { 175, "Get-ChildItem -Recurse -Name through a link to an ancestor ends" },
        { 153, "New-Item HardLink to itself is InvalidOperation, before -Force removes anything" },
        { 154, "Remove-Item -Force of a link to a read-only file makes the target writable" },
        { 170, "Clear-Content through a dangling link is a WriteError (Could not find file)" },
        { 195, "Move-Item of a file onto itself on a read-only drive is a WriteError (link(2) finds the name)" },
        { 245, "New-Item SymbolicLink -Force on a read-only drive writes the removal's error, then the link's" },
        { 109, "Remove-Item of a link to a file: read-only by the target's mode and the link's owner" },
        { 118, "Remove-Item -Force of a link to a directory leaves the directory's mode" },
        { 252, "New-Item SymbolicLink -Force makes the missing parent directories" },
        { 278, "Copy-Item of a tree to a read-only drive is an error per item" },
        { 279, "Copy-Item onto a link to a file writes through it, mode and times too" },
        { 414, "Rename-Item onto another name of the same file is rename(2)'s, as File.Move leaves it" },
        { 597, "Move-Item of a directory onto an existing item on a read-only drive is ResourceExists" },
        { 820, "Copy-Item of a directory makes the destination's missing parents" },
        { 853, "Copy-Item to a link to the source directory is a copy onto itself" },
        { 994, "New-Item HardLink -Force makes the missing parents first, even when the link then fails" },
        { 364, "Move-Item -Force onto a read-only file makes it writable first, which its other name keeps" },
        { 520, "Remove-Item -Force of a read-only item whose mode would not change calls no chmod (no copy-up)" },
        { 692, "Copy-Item of a directory onto a file in the way is ResourceExists (DirectoryExist), naming the destination" },
        { 980, "Remove-Item -Recurse lists the files after removing the directories, as EnumerateFiles after EnumerateDirectories" },
        { 1062, "Copy-Item -Force of a tree to a read-only drive: no error for a directory it cannot make, its files go onto that path" },
        { 1258, "Copy-Item -Force of a tree into a directory of a read-only drive: an error per file only" },
        { 1085, "Move-Item of a directory onto an existing directory joins its content to it, as CopyAndDelete does" },
        { 1615, "Move-Item of a directory through a link onto an existing directory joins it, an error per file in the way" },
        { 1856, "Copy-Item of a file onto a directory of a read-only drive is PermissionDenied (EISDIR before EROFS)" },
        { 1861, "Copy-Item -Force of a file does not make a missing destination directory" },
        { 1928, "Copy-Item -Force of an empty directory onto a looping link in the way is silent" },
        { 396, "Move-Item of a tree holding a link to where it lands is not judged (FileSystem follows it once it is made)" },
        { 641, "Move-Item -Force of a file onto a link to a directory: File.Move's 'already exists', not a replacement" },
    };

    [SkippableFact]
    public void Drive_matches_FileSystem_on_a_kernel_mount_for_random_scripts()
    {
        RootOnly.Require("the cmdlet differential harness");
        var seeds = Seeds(defaultCount: 300);
        using var host = new CmdletHost();
        var reports = new List<string>();
        int diverged = 0, unjudged = 0, skippedSteps = 0;
        var reportFile = Environment.GetEnvironmentVariable("OVERLAYPS_CMDLET_REPORT");
        var progress = Environment.GetEnvironmentVariable("OVERLAYPS_CMDLET_PROGRESS");
        foreach (var seed in seeds)
        {
            if (!string.IsNullOrEmpty(progress))
                File.AppendAllText(progress, $"cmdlet script seed {seed}\n");
            var outcome = CmdletRun.Run(host, CmdletScriptGenerator.Generate(seed));
            skippedSteps += outcome.SkippedSteps;
            if (outcome.Unjudged is not null)
            {
                unjudged++;
                _out.WriteLine($"UNJUDGED seed {seed}: {outcome.Unjudged}");
                continue;
            }
            if (!outcome.Diverged)
                continue;
            diverged++;
            _out.WriteLine($"DIVERGED seed {seed}: {outcome.Divergences[0].Split('\n')[0]}");
            if (!string.IsNullOrEmpty(reportFile))
                File.AppendAllText(reportFile, outcome.Report() + "\n");
            if (reports.Count < 3)
                reports.Add(outcome.Report());
        }
        _out.WriteLine($"{seeds.Count} script(s), {diverged} diverged, {unjudged} not judged (the kernel runs differed, or a link climbed above the root), " +
                       $"{skippedSteps} step(s) not run (Copy-Item or Move-Item over a directory link, Copy-Item of a directory onto a file, New-Item HardLink to a link that loops or is a directory from the new name)");
        // A harness that judges nothing proves nothing.
        Assert.True(unjudged * 10 <= seeds.Count, $"{unjudged} of {seeds.Count} scripts could not be judged");
        Assert.True(diverged == 0, $"{diverged} of {seeds.Count} script(s) diverged; the first:\n\n" + string.Join("\n\n", reports));
    }

    [SkippableTheory]
    [MemberData(nameof(OnceDiverged))]
    public void Drive_matches_FileSystem_on_a_script_that_once_diverged(int seed, string why)
    {
        RootOnly.Require("the cmdlet differential harness");
        using var host = new CmdletHost();
        var outcome = CmdletRun.Run(host, CmdletScriptGenerator.Generate(seed));
        Assert.True(outcome.Unjudged is null, $"[{why}] not judged: {outcome.Unjudged}");
        Assert.False(outcome.Diverged, $"[{why}] " + outcome.Report());
    }

    static List<int> Seeds(int defaultCount)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_CMDLET_SEED"), out var one))
            return new List<int> { one };
        int count = int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_CMDLET_SCRIPTS"), out var n) ? n : defaultCount;
        int first = int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_CMDLET_FIRST_SEED"), out var f) ? f : 1;
        return Enumerable.Range(first, count).ToList();
    }
}
