namespace OverlayPS.Tests.Differential;

/// <summary>
/// A seeded operation sequence over names that exist in some layer, names that do not, names
/// earlier ops created, and paths that pass through symlinks to directories.
/// </summary>
public static class OpGenerator
{
    static readonly string[] NewNames = { "n", "m", "a", "b", "x" };
    static readonly uint[] CreateModes = { 0x1A4, 0x1B6, 0x1FF, 0x180, 0x1ED, 0x5ED, 0x3FF };
    static readonly FileMode[] WriteModes =
        { FileMode.CreateNew, FileMode.Create, FileMode.OpenOrCreate, FileMode.Open, FileMode.Truncate, FileMode.Append };

    public static List<Op> Generate(int seed, StackSpec spec, int count, bool readsOnly)
    {
        // A different stream from the stack's, so the op list of a seed does not depend on
        // how many random numbers the stack generator happened to draw.
        var rng = new Random(unchecked(seed * 7919 + 17));
        var pool = new List<string> { "/" };
        foreach (var e in spec.AllEntries)
            if (!pool.Contains(e.Path))
                pool.Add(e.Path);
        var dirs = spec.AllEntries.Where(e => e.Kind is SpecKind.Dir or SpecKind.Symlink).Select(e => e.Path).Distinct().ToList();
        foreach (var d in dirs.Prepend(""))
        {
            // Names that exist nowhere yet, in existing dirs and through dir symlinks.
            pool.Add(d + "/" + StackGenerator.Pick(rng, NewNames) + rng.Next(3));
            pool.Add(d + "/" + StackGenerator.Pick(rng, StackGenerator.Names));
        }
        pool.Add("/missing/child");

        var ops = new List<Op>(count);
        for (int i = 0; i < count; i++)
        {
            var op = readsOnly ? RandomRead(rng, pool) : RandomOp(rng, pool);
            ops.Add(op);
            foreach (var p in new[] { op.Path, op.Path2 })
                if (p is not null && p.StartsWith('/') && !pool.Contains(p))
                    pool.Add(p);
        }
        return ops;
    }

    static string AnyPath(Random rng, List<string> pool) => pool[rng.Next(pool.Count)];

    static string ChildPath(Random rng, List<string> pool)
    {
        // Mostly existing names; sometimes a new child of an existing path.
        var p = AnyPath(rng, pool);
        if (rng.Next(3) == 0)
            p = (p == "/" ? "" : p) + "/" + StackGenerator.Pick(rng, NewNames) + rng.Next(3);
        return p;
    }

    static Op RandomRead(Random rng, List<string> pool)
    {
        var p = AnyPath(rng, pool);
        return rng.Next(5) switch
        {
            0 => new Op(OpKind.Stat, p),
            1 => new Op(OpKind.ReadDir, p),
            2 => new Op(OpKind.Read, p),
            3 => new Op(OpKind.ReadLink, p),
            _ => new Op(OpKind.ListXattrs, p),
        };
    }

    static Op RandomOp(Random rng, List<string> pool)
    {
        int roll = rng.Next(100);
        if (roll < 15)
            return RandomRead(rng, pool);
        var p = ChildPath(rng, pool);
        var data = new byte[rng.Next(0, 40)];
        rng.NextBytes(data);
        return (roll - 15) switch
        {
            < 12 => new Op(OpKind.Write, p)
            {
                FileMode = StackGenerator.Pick(rng, WriteModes), Mode = StackGenerator.Pick(rng, CreateModes),
                Data = data, Offset = rng.Next(3) == 0 ? rng.Next(0, 60) : 0,
            },
            < 17 => new Op(OpKind.Truncate, p) { Offset = rng.Next(0, 3) == 0 ? 0 : rng.Next(1, 100) },
            < 24 => new Op(OpKind.Mkdir, p) { Mode = StackGenerator.Pick(rng, CreateModes) },
            < 28 => new Op(OpKind.Symlink, p) { Path2 = rng.Next(2) == 0 ? StackGenerator.Pick(rng, StackGenerator.Names) : "../" + StackGenerator.Pick(rng, StackGenerator.Names) },
            < 31 => new Op(OpKind.MkFifo, p) { Mode = StackGenerator.Pick(rng, CreateModes) },
            < 36 => new Op(OpKind.Link, AnyPath(rng, pool)) { Path2 = p },
            < 45 => new Op(OpKind.Unlink, AnyPath(rng, pool)),
            < 51 => new Op(OpKind.Rmdir, AnyPath(rng, pool)),
            < 55 => new Op(OpKind.RemoveTree, AnyPath(rng, pool)),
            < 65 => new Op(OpKind.Rename, AnyPath(rng, pool)) { Path2 = p },
            < 70 => new Op(OpKind.Chmod, AnyPath(rng, pool)) { Mode = StackGenerator.Pick(rng, CreateModes) | (rng.Next(6) == 0 ? 0xC00u : 0) },
            < 74 => new Op(OpKind.Chown, AnyPath(rng, pool)) { Uid = (uint)StackGenerator.Pick(rng, new[] { 0, 1000, 1002 }), Gid = (uint)StackGenerator.Pick(rng, new[] { 0, 100, 1002 }) },
            < 78 => new Op(OpKind.SetTimes, AnyPath(rng, pool)) { TimeSec = StackGenerator.RandomTime(rng), TimeNsec = rng.Next(1_000_000_000) },
            < 82 => new Op(OpKind.SetXattr, AnyPath(rng, pool)) { Name = StackGenerator.Pick(rng, new[] { "user.k1", "user.k2", "user.new" }), Data = data.Take(8).ToArray() },
            _ => new Op(OpKind.RemoveXattr, AnyPath(rng, pool)) { Name = StackGenerator.Pick(rng, new[] { "user.k1", "user.k2", "user.k3" }) },
        };
    }
}
