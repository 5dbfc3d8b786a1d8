namespace OverlayPS.Tests.Differential.Cmdlets;

/// <summary>
/// The divergences issue 13 names, and the kinds the harness found, each as a short script
/// over one small hand-made stack, run through the same comparison as the random scripts
/// (FileSystem on a kernel mount, twice, against an Overlay drive). Each fails on the drive
/// as it was before its fix.
/// </summary>
public class CmdletScenarioTests
{
    /// <summary>lower1: a directory with a file and a setuid file, a read-only file with a second
    /// name, a dangling link, a link to the directory; the upper starts empty. Read-only: no
    /// upper, an empty second lower, and a directory /e/d where a copy of /d into /e goes.</summary>
    static StackSpec Stack(bool readOnly = false)
    {
        SpecEntry File(string path, uint mode = 0x1A4) => new()
        {
            Path = path, Kind = SpecKind.File, Mode = mode, Uid = 1000, Gid = 1000,
            MTimeSec = StackGenerator.MinTime + 1000, Data = "data\n"u8.ToArray(),
        };
        var lower = new LayerSpec { RootMTimeSec = StackGenerator.MinTime };
        lower.Entries.Add(new SpecEntry { Path = "/d", Kind = SpecKind.Dir, Mode = 0x1ED, MTimeSec = StackGenerator.MinTime + 10 });
        lower.Entries.Add(File("/d/f"));
        lower.Entries.Add(File("/d/suid", 0x9ED));
        lower.Entries.Add(new SpecEntry { Path = "/e", Kind = SpecKind.Dir, Mode = 0x1ED, MTimeSec = StackGenerator.MinTime + 20 });
        lower.Entries.Add(File("/ro", 0x124));
        lower.Entries.Add(new SpecEntry { Path = "/ro2", Kind = SpecKind.HardLink, Target = "/ro" });
        lower.Entries.Add(new SpecEntry { Path = "/dang", Kind = SpecKind.Symlink, Mode = 0x1FF, Target = "missing", MTimeSec = StackGenerator.MinTime });
        lower.Entries.Add(new SpecEntry { Path = "/dirlink", Kind = SpecKind.Symlink, Mode = 0x1FF, Target = "d", MTimeSec = StackGenerator.MinTime });
        if (readOnly)
            lower.Entries.Add(new SpecEntry { Path = "/e/d", Kind = SpecKind.Dir, Mode = 0x1ED, MTimeSec = StackGenerator.MinTime + 30 });
        var spec = new StackSpec { Upper = readOnly ? null : new LayerSpec { RootMTimeSec = StackGenerator.MinTime } };
        spec.Lowers.Add(lower);
        if (readOnly)
            spec.Lowers.Add(new LayerSpec { RootMTimeSec = StackGenerator.MinTime }); // a mount without an upper needs two lowers
        return spec;
    }

    static CmdletStep S(string text) => new(text);

    public static TheoryData<string> Names => new(Scenarios.Keys);

    static readonly Dictionary<string, CmdletStep[]> Scenarios = new()
    {
        ["Set-Content through a dangling link is refused"] = new[]
        {
            S("Set-Content -LiteralPath ($d + '/dang') -Value 'x'"), S("Test-Path -LiteralPath ($d + '/missing')"),
        },
        ["Add-Content through a dangling link creates its target"] = new[]
        {
            S("Add-Content -LiteralPath ($d + '/dang') -Value 'x'"), S("Get-Content -LiteralPath ($d + '/missing')"),
        },
        ["Move-Item of a directory into its own parent or onto itself is InvalidArgument"] = new[]
        {
            S("Move-Item -LiteralPath ($d + '/d') -Destination ($d + '/')"), S("Move-Item -LiteralPath ($d + '/d') -Destination ($d + '/d')"),
        },
        ["Rename-Item of a directory to its own name is a WriteError"] = new[]
        {
            S("Rename-Item -LiteralPath ($d + '/d') -NewName 'd'"), S("Rename-Item -LiteralPath ($d + '/ro') -NewName 'ro'"),
        },
        ["Move-Item of a directory onto an existing item is ResourceExists, of a file a WriteError"] = new[]
        {
            S("Move-Item -LiteralPath ($d + '/e') -Destination ($d + '/ro') -Force"), S("Move-Item -LiteralPath ($d + '/d/f') -Destination ($d + '/ro')"),
        },
        ["Move-Item onto another name of the same file does nothing"] = new[]
        {
            S("Move-Item -LiteralPath ($d + '/ro') -Destination ($d + '/ro2')"), S("Get-ChildItem -LiteralPath ($d + '/') -Name"),
        },
        ["Move-Item of a directory onto an existing directory joins its content to it, file by file"] = new[]
        {
            S("New-Item -ItemType Directory -Path ($d + '/n')"), S("New-Item -ItemType Directory -Path ($d + '/n/d')"),
            S("New-Item -ItemType File -Path ($d + '/n/d/g') -Value 'v'"), S("Move-Item -LiteralPath ($d + '/d') -Destination ($d + '/n')"),
            S("Get-ChildItem -LiteralPath ($d + '/n/d') -Name"), S("Test-Path -LiteralPath ($d + '/d')"),
        },
        ["Copy-Item of a directory into its parent is ResourceExists, onto itself a WriteError"] = new[]
        {
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/') -Recurse"), S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/d') -Recurse"),
        },
        ["Copy-Item drops setuid as File.Copy does, and -Force makes the missing parent"] = new[]
        {
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/new/deeper') -Recurse -Force"),
        },
        ["New-Item SymbolicLink onto an existing item is ResourceExists; a link to a directory is a container"] = new[]
        {
            S("New-Item -ItemType SymbolicLink -Path ($d + '/ro') -Value 'd'"), S("New-Item -ItemType SymbolicLink -Path ($d + '/l2') -Value 'd'"),
            S("New-Item -ItemType SymbolicLink -Path ($d + '/e') -Value 'd' -Force"),
        },
        ["New-Item HardLink to a missing target is ObjectNotFound, to a directory InvalidOperation"] = new[]
        {
            S("New-Item -ItemType HardLink -Path ($d + '/h') -Value ($d + '/nothing')"), S("New-Item -ItemType HardLink -Path ($d + '/ro') -Value ($d + '/nothing') -Force"),
            S("New-Item -ItemType HardLink -Path ($d + '/h') -Value ($d + '/d')"), S("Test-Path -LiteralPath ($d + '/ro')"),
        },
        ["New-Item Directory -Force over a file is silent, New-Item File -Force on a directory PermissionDenied"] = new[]
        {
            S("New-Item -ItemType Directory -Path ($d + '/ro') -Force"), S("New-Item -ItemType File -Path ($d + '/d') -Force"),
        },
        ["Add-Content to a directory is InvalidOperation, Clear-Content of a missing file ObjectNotFound"] = new[]
        {
            S("Add-Content -LiteralPath ($d + '/d') -Value 'x'"), S("Clear-Content -LiteralPath ($d + '/nothing')"),
        },
        ["Remove-Item -Force makes a read-only file writable first, which its other name keeps"] = new[]
        {
            S("Remove-Item -LiteralPath ($d + '/ro') -Force"), S("Remove-Item -LiteralPath ($d + '/ro2')"),
        },
        ["Remove-Item -Recurse removes a link to a directory once, not its target"] = new[]
        {
            S("New-Item -ItemType Directory -Path ($d + '/x')"), S("New-Item -ItemType SymbolicLink -Path ($d + '/x/l') -Value '../d'"),
            S("Remove-Item -LiteralPath ($d + '/x') -Recurse"), S("Get-ChildItem -LiteralPath ($d + '/d') -Name"),
        },
        ["Move-Item of a lower directory moves file by file and keeps owners"] = new[]
        {
            S("Move-Item -LiteralPath ($d + '/d') -Destination ($d + '/moved')"), S("Get-ChildItem -LiteralPath ($d + '/moved') -Name"),
        },
    };

    public static TheoryData<string> ReadOnlyNames => new(ReadOnlyScenarios.Keys);

    /// <summary>Scenarios on the stack without an upper (a read-only mount, a read-only drive).</summary>
    static readonly Dictionary<string, CmdletStep[]> ReadOnlyScenarios = new()
    {
        ["Copy-Item of a directory to a read-only stack: its directory errors only without -Force"] = new[]
        {
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/new') -Recurse"),
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/new') -Recurse -Force"),
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/new')"),
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/new') -Force"),
        },
        ["Copy-Item of a directory onto one already there on a read-only stack is ResourceExists without -Force"] = new[]
        {
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/e') -Recurse"),
            S("Copy-Item -LiteralPath ($d + '/d') -Destination ($d + '/e') -Recurse -Force"),
        },
    };

    [SkippableTheory]
    [MemberData(nameof(ReadOnlyNames))]
    public void Drive_matches_FileSystem_on_a_read_only_stack(string scenario)
    {
        RootOnly.Require("the cmdlet differential harness");
        using var host = new CmdletHost();
        var outcome = CmdletRun.Run(host, new CmdletScript(Seed: 0, Stack(readOnly: true), ReadOnlyScenarios[scenario]));
        Assert.True(outcome.Unjudged is null, $"not judged: {outcome.Unjudged}");
        Assert.False(outcome.Diverged, outcome.Report());
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Drive_matches_FileSystem(string scenario)
    {
        RootOnly.Require("the cmdlet differential harness");
        using var host = new CmdletHost();
        var outcome = CmdletRun.Run(host, new CmdletScript(Seed: 0, Stack(), Scenarios[scenario]));
        Assert.True(outcome.Unjudged is null, $"not judged: {outcome.Unjudged}");
        Assert.False(outcome.Diverged, outcome.Report());
    }
}
