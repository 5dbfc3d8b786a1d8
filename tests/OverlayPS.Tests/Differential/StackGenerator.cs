namespace OverlayPS.Tests.Differential;

/// <summary>
/// Builds a random layer stack from a seed. Names come from a small alphabet so layers
/// collide often: that is where overlay semantics live (merging, hiding, whiteouts, opaque
/// dirs, a file over a dir and the reverse).
/// Symlink targets stay inside the union on purpose: the kernel resolves a link met through
/// the mount on the host, the engine inside the union root (its confinement rule), so a link
/// that climbs out of the root or names a real host path would make them differ by design.
/// Absolute targets therefore name host paths that do not exist ("/nonexistent-ovlps/..."):
/// both sides see them dangle.
/// </summary>
public static class StackGenerator
{
    public static readonly string[] Names = { "a", "b", "c", "d", "e", "f" };

    static readonly uint[] FileModes = { 0x1A4, 0x1A4, 0x180, 0x1ED, 0x124, 0x1A0, 0x9ED /*04755*/, 0x1B6 };
    static readonly uint[] DirModes = { 0x1ED, 0x1ED, 0x1C0, 0x1FD, 0x16D, 0x3FF /*01777*/, 0x5ED /*02755*/ };
    static readonly uint[] Uids = { 0, 0, 1000, 1001, 65534 };
    static readonly uint[] Gids = { 0, 0, 100, 1000 };

    /// <summary>Seeded times lie in 2001-2019; anything from 2021 on was stamped by a run.</summary>
    public const long MinTime = 978307200;      // 2001-01-01
    public const long MaxTime = 1577836800;     // 2020-01-01

    public static StackSpec Generate(int seed)
    {
        var rng = new Random(seed);
        var spec = new StackSpec();
        int lowers = rng.Next(1, 6);
        int depth = rng.Next(2, 5);
        // A read-only stack now and then (EROFS for every write); the kernel needs two lowers
        // for a mount without an upper.
        bool readOnly = lowers >= 2 && rng.Next(10) == 0;
        for (int i = 0; i < lowers; i++)
            spec.Lowers.Add(GenerateLayer(rng, depth, isLower: true, isBottom: i == lowers - 1));
        if (!readOnly)
            spec.Upper = GenerateLayer(rng, depth, isLower: false, isBottom: false);
        // Drawn from their own streams so that adding them left every older seed's stack unchanged.
        spec.UserXattr = new Random(seed ^ 0x5EED).Next(4) == 0;
        AddBottomWhiteouts(new Random(seed ^ 0xB077), spec.Lowers[^1]);
        return spec;
    }

    static LayerSpec GenerateLayer(Random rng, int depth, bool isLower, bool isBottom)
    {
        var layer = new LayerSpec { RootMTimeSec = RandomTime(rng) };
        // An upper starts small or empty more often: many runs begin from a fresh container.
        int rootCount = isLower ? rng.Next(2, 6) : rng.Next(0, 4);
        GenerateDir(rng, layer, "", depthLeft: depth, count: rootCount, isLower, isBottom);
        AddHardLinks(rng, layer);
        return layer;
    }

    static void GenerateDir(Random rng, LayerSpec layer, string dir, int depthLeft, int count,
        bool isLower, bool isBottom)
    {
        var dirEntry = layer.Entries.FirstOrDefault(e => e.Path == dir);
        foreach (var name in Names.OrderBy(_ => rng.Next()).Take(count))
        {
            var path = dir + "/" + name;
            int roll = rng.Next(100);
            var kind = roll switch
            {
                < 38 => SpecKind.File,
                < 68 => depthLeft > 1 ? SpecKind.Dir : SpecKind.File,
                < 80 => SpecKind.Symlink,
                < 91 => isBottom ? SpecKind.File : SpecKind.Whiteout,
                < 95 => SpecKind.Fifo,
                _ => isLower && !isBottom && dirEntry is not null && dirEntry.Opaque is null or "x"
                    ? SpecKind.XattrWhiteout : SpecKind.File,
            };
            if (kind == SpecKind.XattrWhiteout)
                dirEntry!.Opaque = "x";
            var e = kind switch
            {
                SpecKind.File => new SpecEntry
                {
                    Path = path, Kind = kind, Mode = Pick(rng, FileModes), Uid = Pick(rng, Uids), Gid = Pick(rng, Gids),
                    MTimeSec = RandomTime(rng), MTimeNsec = rng.Next(1_000_000_000),
                    Data = RandomData(rng), UserXattrs = RandomXattrs(rng),
                },
                SpecKind.Dir => new SpecEntry
                {
                    Path = path, Kind = kind, Mode = Pick(rng, DirModes), Uid = Pick(rng, Uids), Gid = Pick(rng, Gids),
                    MTimeSec = RandomTime(rng), MTimeNsec = rng.Next(1_000_000_000),
                    UserXattrs = RandomXattrs(rng),
                    // The layer root is never opaque: only what sits above it could be hidden.
                    Opaque = !isBottom && rng.Next(6) == 0 ? "y" : null,
                },
                SpecKind.Symlink => new SpecEntry
                {
                    Path = path, Kind = kind, Mode = 0x1FF, Uid = Pick(rng, Uids), Gid = Pick(rng, Gids),
                    MTimeSec = RandomTime(rng), MTimeNsec = rng.Next(1_000_000_000),
                    Target = RandomTarget(rng, dir, name),
                },
                SpecKind.Fifo => new SpecEntry
                {
                    Path = path, Kind = kind, Mode = Pick(rng, FileModes) & 0x1FF, Uid = Pick(rng, Uids), Gid = Pick(rng, Gids),
                    MTimeSec = RandomTime(rng), MTimeNsec = rng.Next(1_000_000_000),
                },
                // Whiteouts as the kernel makes them: mode 0, root-owned.
                _ => new SpecEntry
                {
                    Path = path, Kind = kind, Mode = 0, MTimeSec = RandomTime(rng), MTimeNsec = rng.Next(1_000_000_000),
                },
            };
            layer.Entries.Add(e);
            if (kind == SpecKind.Dir)
                GenerateDir(rng, layer, path, depthLeft - 1, rng.Next(0, 5), isLower, isBottom);
        }
    }

    /// <summary>
    /// Whiteouts in the last layer too, now and then: they hide nothing there, but a stack cut
    /// from a longer one (or a Docker layer with its parents absent) has them, and the kernel
    /// still has to leave them out of listings.
    /// </summary>
    static void AddBottomWhiteouts(Random rng, LayerSpec bottom)
    {
        var linked = bottom.Entries.Where(e => e.Kind == SpecKind.HardLink).Select(e => e.Target).ToHashSet();
        for (int i = 0; i < bottom.Entries.Count; i++)
        {
            var e = bottom.Entries[i];
            if (e.Kind == SpecKind.File && !linked.Contains(e.Path) && rng.Next(12) == 0)
                bottom.Entries[i] = new SpecEntry { Path = e.Path, Kind = SpecKind.Whiteout, MTimeSec = e.MTimeSec, MTimeNsec = e.MTimeNsec };
        }
    }

    /// <summary>Second names for regular files of the layer (hard links never cross layers).</summary>
    static void AddHardLinks(Random rng, LayerSpec layer)
    {
        var files = layer.Entries.Where(e => e.Kind == SpecKind.File).ToList();
        var dirs = layer.Entries.Where(e => e.Kind == SpecKind.Dir).Select(e => e.Path).Prepend("").ToList();
        int count = files.Count == 0 ? 0 : rng.Next(0, 3);
        for (int i = 0; i < count; i++)
        {
            var source = files[rng.Next(files.Count)];
            var dir = dirs[rng.Next(dirs.Count)];
            var name = "h" + Names[rng.Next(Names.Length)];
            var path = dir + "/" + name;
            if (layer.Entries.Any(e => e.Path == path))
                continue;
            layer.Entries.Add(new SpecEntry { Path = path, Kind = SpecKind.HardLink, Target = source.Path });
        }
    }

    static string RandomTarget(Random rng, string dir, string self)
    {
        int depth = dir.Count(c => c == '/');
        string up = string.Concat(Enumerable.Repeat("../", depth));
        return rng.Next(8) switch
        {
            0 or 1 => Pick(rng, Names),                                     // sibling, maybe dangling
            2 when depth > 0 => "../" + Pick(rng, Names),                    // one up, still inside
            3 => up + Pick(rng, Names) + "/" + Pick(rng, Names),            // from the root, relative
            4 => "/nonexistent-ovlps/" + Pick(rng, Names),                   // absolute, dangling everywhere
            5 => self,                                                        // a loop: ELOOP
            6 when depth > 0 => "..",                                        // the parent dir
            _ => up + Pick(rng, Names),
        };
    }

    static byte[] RandomData(Random rng)
    {
        // Mostly tiny; now and then more than one copy chunk so copy-up loops are exercised.
        int len = rng.Next(50) == 0 ? rng.Next(70_000, 300_000) : rng.Next(0, 48);
        var data = new byte[len];
        rng.NextBytes(data);
        return data;
    }

    static List<KeyValuePair<string, byte[]>> RandomXattrs(Random rng)
    {
        var list = new List<KeyValuePair<string, byte[]>>();
        if (rng.Next(5) != 0)
            return list;
        foreach (var k in new[] { "user.k1", "user.k2" }.Where(_ => rng.Next(2) == 0).DefaultIfEmpty("user.k3"))
        {
            var v = new byte[rng.Next(0, 9)];
            rng.NextBytes(v);
            list.Add(new(k, v));
        }
        return list;
    }

    public static long RandomTime(Random rng) => MinTime + (long)(rng.NextDouble() * (MaxTime - MinTime));

    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
