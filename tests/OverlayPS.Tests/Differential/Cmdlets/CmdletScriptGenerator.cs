namespace OverlayPS.Tests.Differential.Cmdlets;

/// <summary>
/// Seeded cmdlet scripts over seeded stacks. The stack is <see cref="StackGenerator"/>'s (whiteouts,
/// opaque dirs, links to files, dirs, dangling, relative and "..", hard links, odd modes), with
/// fifos turned into empty files: the FileSystem provider opens a fifo for Get-Content and
/// Copy-Item and would wait for a writer forever. Steps aim mostly at names that exist, and
/// at new names (odd ones among them: spaces, brackets, quotes, a leading dot or dash,
/// non-ASCII) in directories that exist, so that most steps do something.
/// </summary>
public static class CmdletScriptGenerator
{
    public const int StepsPerScript = 12;

    static readonly string[] OddNames = { "sp ace", "br[a]ck", "q'uote", ".dot", "-dash", "é", "st*r", "a b [c]" };

    public static CmdletScript Generate(int seed)
    {
        var spec = WithoutUnmergedWhiteouts(WithoutFifos(StackGenerator.Generate(seed)));
        var rng = new Random(seed ^ 0xC3D1);
        var visible = SpecMergedView.VisiblePaths(spec);
        var paths = visible.Keys.OrderBy(p => p, StringComparer.Ordinal).ToList();
        var dirs = visible.Where(v => v.Value == SpecKind.Dir).Select(v => v.Key).OrderBy(p => p, StringComparer.Ordinal)
            .Prepend("").ToList();
        var steps = new List<CmdletStep>();
        for (int i = 0; i < StepsPerScript; i++)
        {
            var step = NextStep(rng, i, paths, dirs, readOnly: spec.Upper is null);
            steps.Add(step);
        }
        return new CmdletScript(seed, spec, steps);
    }

    static CmdletStep NextStep(Random rng, int n, List<string> paths, List<string> dirs, bool readOnly)
    {
        // Mostly a name that exists (or existed: earlier steps may have moved it).
        string Existing() => paths.Count > 0 && rng.Next(5) != 0 ? Pick(rng, paths) : Fresh();
        string Fresh()
        {
            var dir = Pick(rng, dirs);
            var name = rng.Next(3) == 0 ? Pick(rng, OddNames) : Pick(rng, StackGenerator.Names) + (rng.Next(2) == 0 ? "" : "n");
            return dir + "/" + name;
        }
        string Dir() => Pick(rng, dirs) is { Length: > 0 } d ? d : "/";
        string P(string union) => CmdletStep.PathArg(union);
        string Remember(string path)
        {
            if (!paths.Contains(path))
                paths.Add(path);
            return path;
        }
        var value = CmdletStep.Quote($"v{n}");
        string Force() => rng.Next(3) == 0 ? " -Force" : "";

        switch (rng.Next(17))
        {
            case 0: return new($"Get-Content -LiteralPath {P(Existing())}");
            case 1: return new($"Get-Content -LiteralPath {P(Existing())} -Raw");
            case 2: return new($"Set-Content -LiteralPath {P(Remember(Existing()))} -Value {value}");
            case 3: return new($"Add-Content -LiteralPath {P(Remember(Existing()))} -Value {value}");
            case 4: return new($"Clear-Content -LiteralPath {P(Existing())}");
            case 5:
                return rng.Next(3) switch
                {
                    // Not -Name with -Recurse: PowerShell walks that itself, into linked
                    // directories on any provider but FileSystem (README: differences).
                    0 => new($"Get-ChildItem -LiteralPath {P(Dir())} -Recurse -Force", Listing: true),
                    1 => new($"Get-ChildItem -LiteralPath {P(Existing())}", Listing: true),
                    _ => new($"Get-ChildItem -LiteralPath {P(Dir())} -Force", Listing: true),
                };
            case 6: return new($"New-Item -ItemType File -Path {P(Remember(Fresh()))} -Value {value}{Force()}");
            case 7: return new($"New-Item -ItemType Directory -Path {P(Remember(Fresh()))}{Force()}");
            case 8:
                {
                    // Targets as the generator's links have them: relative, "..", dangling, absolute-dangling.
                    var target = rng.Next(5) switch
                    {
                        0 => Pick(rng, StackGenerator.Names),
                        1 => "..",
                        2 => "../" + Pick(rng, StackGenerator.Names),
                        3 => "/nonexistent-ovlps/x",
                        _ => "missing",
                    };
                    var at = rng.Next(4) == 0 ? Existing() : Remember(Fresh());
                    // Not above the root: on the kernel side ".." of the mount's root is the
                    // host directory it is mounted on, on a drive it is the root itself (as
                    // for a union mounted at /). Same draws, so other steps keep their meaning.
                    if (at.LastIndexOf('/') == 0 && target.StartsWith("..", StringComparison.Ordinal))
                        target = target == ".." ? "." : target[3..];
                    return new($"New-Item -ItemType SymbolicLink -Path {P(at)} -Value {CmdletStep.Quote(target)}{Force()}");
                }
            case 9:
                {
                    var at = rng.Next(4) == 0 ? Existing() : Remember(Fresh());
                    var linked = Existing();
                    return new($"New-Item -ItemType HardLink -Path {P(at)} -Value {P(linked)}{Force()}", HardLinkTarget: linked, HardLinkName: at);
                }
            case 10:
            case 11:
                {
                    // Not -Force on a read-only stack: over a read-only mount FileSystem reports
                    // some items twice, from an attribute change and its restore (README: differences).
                    var path = Existing();
                    var force = Force();
                    return new($"Remove-Item -LiteralPath {P(path)} -Recurse{(readOnly ? "" : force)}");
                }
            case 12:
                {
                    var from = Existing();
                    var name = rng.Next(4) == 0 ? from[(from.LastIndexOf('/') + 1)..] : Fresh()[1..].Split('/')[^1];
                    Remember(from[..(from.LastIndexOf('/') + 1)] + name);
                    return new($"Rename-Item -LiteralPath {P(from)} -NewName {CmdletStep.Quote(name)}");
                }
            case 13:
            case 14:
                {
                    var from = Existing();
                    var to = rng.Next(4) switch { 0 => Dir(), 1 => from, 2 => Existing(), _ => Remember(Fresh()) };
                    return new($"Move-Item -LiteralPath {P(from)} -Destination {P(to)}{Force()}", MovedTree: from, Destination: to);
                }
            case 15:
                {
                    var from = Existing();
                    var to = rng.Next(3) switch { 0 => Dir(), 1 => Existing(), _ => Remember(Fresh()) };
                    // Into its own subtree the FileSystem provider copies until the path is too
                    // long (README: differences): not a question to ask it.
                    while (to.StartsWith(from + "/", StringComparison.Ordinal))
                        to = Remember(Fresh());
                    return new($"Copy-Item -LiteralPath {P(from)} -Destination {P(to)} -Recurse{Force()}", CopiedTree: from, Destination: to);
                }
            default: return new($"Test-Path -LiteralPath {P(Existing())}");
        }
    }

    /// <summary>The stack with every fifo an empty regular file of the same mode.</summary>
    static StackSpec WithoutFifos(StackSpec spec)
    {
        foreach (var layer in spec.Layers)
            for (int i = 0; i < layer.Entries.Count; i++)
                if (layer.Entries[i] is { Kind: SpecKind.Fifo } f)
                    layer.Entries[i] = new SpecEntry
                    {
                        Path = f.Path, Kind = SpecKind.File, Mode = f.Mode, Uid = f.Uid, Gid = f.Gid,
                        MTimeSec = f.MTimeSec, MTimeNsec = f.MTimeNsec,
                    };
        return spec;
    }

    /// <summary>
    /// The stack without whiteouts in directories that no layer below has (the bottom layer's
    /// whiteouts among them) or that are opaque: the kernel never leaves one there, and where it finds one it
    /// lists it (readdir of a directory of one layer passes straight through) yet cannot find
    /// it, which the FileSystem provider reports as "Could not find file" wherever it reads a
    /// listed file's length (README: differences).
    /// </summary>
    static StackSpec WithoutUnmergedWhiteouts(StackSpec spec)
    {
        var layers = spec.Layers.ToList();
        // Merged: the first layer below that has the parent at all has it as a directory.
        bool Merged(int layer, string dir) =>
            dir.Length == 0 ? layer < layers.Count - 1
            : layers.Skip(layer + 1).Select(l => l.Entries.FirstOrDefault(e => e.Path == dir)).FirstOrDefault(e => e is not null)
                is { Kind: SpecKind.Dir };
        for (int i = 0; i < layers.Count; i++)
        {
            var opaque = layers[i].Entries.Where(e => e.Opaque == "y").Select(e => e.Path).ToHashSet();
            layers[i].Entries.RemoveAll(e => e.Kind is SpecKind.Whiteout or SpecKind.XattrWhiteout
                && (e.Path[..e.Path.LastIndexOf('/')] is var dir && (!Merged(i, dir) || opaque.Contains(dir))));
        }
        return spec;
    }

    static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
