namespace OverlayPS.Tests.Differential;

/// <summary>
/// A seeded operation sequence over names that exist in some layer, names that do not, names
/// earlier ops created, and paths that pass through symlinks to directories.
/// </summary>
public static class OpGenerator
{
    static readonly string[] NewNames = { "n", "m", "a", "b", "x" };
    static readonly string[] OddXattrNames = { "trusted.overlay.t", "user.overlay.u", "trusted.t", "trusted.overlay.opaque" };
    static readonly uint[] CreateModes = { 0x1A4, 0x1B6, 0x1FF, 0x180, 0x1ED, 0x5ED, 0x3FF };
    static readonly FileMode[] WriteModes =
        { FileMode.CreateNew, FileMode.Create, FileMode.OpenOrCreate, FileMode.Open, FileMode.Truncate, FileMode.Append };

    public static List<Op> Generate(int seed, StackSpec spec, int count, bool readsOnly)
    {
        // A different stream from the stack's, so the op list of a seed does not depend on
        // how many random numbers the stack generator happened to draw.
        var rng = new Random(unchecked(seed * 7919 + 17));
        var visible = SpecMergedView.VisiblePaths(spec);
        var pools = new Pools();
        pools.Add("/", SpecKind.Dir, live: true);
        foreach (var (path, kind) in visible.OrderBy(v => v.Key, StringComparer.Ordinal))
            pools.Add(path, kind, live: true);
        // Names hidden in lower layers (whited out, under opaque dirs, below a file).
        foreach (var e in spec.AllEntries)
            pools.Add(e.Path, e.Kind, live: false);
        foreach (var d in pools.Dirs.Concat(pools.Symlinks).ToList())
        {
            // Names that exist nowhere yet, in existing dirs and through dir symlinks.
            var parent = d == "/" ? "" : d;
            pools.Add(parent + "/" + StackGenerator.Pick(rng, NewNames) + rng.Next(3), SpecKind.File, live: false);
        }
        pools.Add("/missing/child", SpecKind.File, live: false);

        // Choices added later draw from their own streams, so older seeds keep their op lists.
        var later = new Random(unchecked(seed * 31 + 7));
        var xattrTargets = new Random(unchecked(seed * 131 + 3));
        var withXattrs = spec.AllEntries.SelectMany(e => e.UserXattrs.Select(x => (e.Path, x.Key))).Distinct().ToList();
        var ops = new List<Op>(count);
        for (int i = 0; i < count; i++)
        {
            var op = readsOnly ? RandomRead(rng, pools) : RandomOp(rng, pools);
            if (op.Kind == OpKind.ReadLink && later.Next(2) == 0)
                op = op with { Kind = OpKind.Resolve };
            // Now and then a name in the overlay's own namespace (stored escaped as
            // overlay.overlay.*, kernel 6.7+) or another trusted.* one.
            if (op.Kind is OpKind.SetXattr or OpKind.RemoveXattr && later.Next(4) == 0)
                op = op with { Name = StackGenerator.Pick(later, OddXattrNames) };
            // Half the removals aim at an xattr some layer really has, so that removal (and
            // the copy-up it needs) succeeds often enough to be compared.
            else if (op.Kind == OpKind.RemoveXattr && withXattrs.Count > 0 && xattrTargets.Next(2) == 0)
            {
                var (path, name) = withXattrs[xattrTargets.Next(withXattrs.Count)];
                op = op with { Path = path, Name = name };
            }
            ops.Add(op);
            // What an op may have created becomes a likely target of later ops.
            if (op.Kind is OpKind.Write or OpKind.MkFifo or OpKind.Symlink)
                pools.Add(op.Path, op.Kind == OpKind.Symlink ? SpecKind.Symlink : SpecKind.File, live: true);
            else if (op.Kind == OpKind.Mkdir)
                pools.Add(op.Path, SpecKind.Dir, live: true);
            else if (op.Kind is OpKind.Link or OpKind.Rename)
                pools.Add(op.Path2!, SpecKind.File, live: true);
        }
        return ops;
    }

    /// <summary>Target paths: "live" ones (visible at the start, or made by an earlier op) are
    /// picked most of the time, so most ops act on something; the rest probe hidden and
    /// missing names for the error paths.</summary>
    sealed class Pools
    {
        public readonly List<string> Live = new(), All = new(), Dirs = new(), Symlinks = new(), Files = new();
        readonly HashSet<string> _seen = new(), _live = new();

        public void Add(string path, SpecKind kind, bool live)
        {
            if (_seen.Add(path))
            {
                All.Add(path);
                (kind switch { SpecKind.Dir => Dirs, SpecKind.Symlink => Symlinks, _ => Files }).Add(path);
            }
            if (live && _live.Add(path))
                Live.Add(path);
        }

        public string Any(Random rng) =>
            rng.Next(4) != 0 ? Live[rng.Next(Live.Count)] : All[rng.Next(All.Count)];

        public string Of(Random rng, List<string> kind) =>
            kind.Count > 0 && rng.Next(3) != 0 ? kind[rng.Next(kind.Count)] : Any(rng);

        public string NotRoot(Random rng, string path) =>
            path != "/" ? path : "/" + StackGenerator.Pick(rng, StackGenerator.Names);

        /// <summary>A dir to remove: the root only rarely (EBUSY, always).</summary>
        public string DirToRemove(Random rng)
        {
            var d = Of(rng, Dirs);
            return d == "/" && rng.Next(4) != 0 ? Of(rng, Dirs) : d;
        }

        /// <summary>Mostly a new child of a dir; sometimes an existing name.</summary>
        public string NewChild(Random rng)
        {
            if (rng.Next(3) == 0)
                return Any(rng);
            var d = Of(rng, Dirs);
            return (d == "/" ? "" : d) + "/" + StackGenerator.Pick(rng, NewNames) + rng.Next(3);
        }
    }

    static Op RandomRead(Random rng, Pools pools) => rng.Next(5) switch
    {
        0 => new Op(OpKind.Stat, pools.Any(rng)),
        1 => new Op(OpKind.ReadDir, pools.Of(rng, pools.Dirs)),
        2 => new Op(OpKind.Read, pools.Of(rng, pools.Files)),
        3 => new Op(OpKind.ReadLink, pools.Of(rng, pools.Symlinks)),
        _ => new Op(OpKind.ListXattrs, pools.Any(rng)),
    };

    /// <summary>A relative target that stays inside the union (see StackGenerator on why).</summary>
    static string SymlinkTarget(Random rng, string linkPath)
    {
        var name = StackGenerator.Pick(rng, StackGenerator.Names);
        return linkPath.Count(c => c == '/') >= 2 && rng.Next(2) == 0 ? "../" + name : name;
    }

    static Op RandomOp(Random rng, Pools pools)
    {
        int roll = rng.Next(100);
        if (roll < 15)
            return RandomRead(rng, pools);
        var p = pools.NewChild(rng);
        var data = new byte[rng.Next(0, 40)];
        rng.NextBytes(data);
        return (roll - 15) switch
        {
            < 12 => new Op(OpKind.Write, rng.Next(2) == 0 ? p : pools.Of(rng, pools.Files))
            {
                FileMode = StackGenerator.Pick(rng, WriteModes), Mode = StackGenerator.Pick(rng, CreateModes),
                Data = data, Offset = rng.Next(3) == 0 ? rng.Next(0, 60) : 0,
            },
            < 17 => new Op(OpKind.Truncate, pools.Of(rng, pools.Files)) { Offset = rng.Next(0, 3) == 0 ? 0 : rng.Next(1, 100) },
            < 24 => new Op(OpKind.Mkdir, p) { Mode = StackGenerator.Pick(rng, CreateModes) },
            < 28 => new Op(OpKind.Symlink, p) { Path2 = SymlinkTarget(rng, p) },
            < 31 => new Op(OpKind.MkFifo, p) { Mode = StackGenerator.Pick(rng, CreateModes) },
            < 36 => new Op(OpKind.Link, pools.Of(rng, pools.Files)) { Path2 = p },
            < 45 => new Op(OpKind.Unlink, pools.Any(rng)),
            < 51 => new Op(OpKind.Rmdir, pools.DirToRemove(rng)),
            // Never the root: rm -rf of a mount point empties it and then fails (EBUSY), the
            // engine refuses at once; the contract does not say which, so it is not asked.
            < 55 => new Op(OpKind.RemoveTree, pools.NotRoot(rng, pools.DirToRemove(rng))),
            // Never the root: through the kernel it is the mount point, whose parent lies outside
            // the mount (EXDEV from the host's topology, not from overlay rules).
            < 65 => new Op(OpKind.Rename, pools.NotRoot(rng, pools.Any(rng))) { Path2 = pools.NotRoot(rng, p) },
            < 70 => new Op(OpKind.Chmod, pools.Any(rng)) { Mode = StackGenerator.Pick(rng, CreateModes) | (rng.Next(6) == 0 ? 0xC00u : 0) },
            < 74 => new Op(OpKind.Chown, pools.Any(rng)) { Uid = (uint)StackGenerator.Pick(rng, new[] { 0, 1000, 1002 }), Gid = (uint)StackGenerator.Pick(rng, new[] { 0, 100, 1002 }) },
            < 78 => new Op(OpKind.SetTimes, pools.Any(rng)) { TimeSec = StackGenerator.RandomTime(rng), TimeNsec = rng.Next(1_000_000_000) },
            < 82 => new Op(OpKind.SetXattr, pools.Any(rng)) { Name = StackGenerator.Pick(rng, new[] { "user.k1", "user.k2", "user.new" }), Data = data.Take(8).ToArray() },
            _ => new Op(OpKind.RemoveXattr, pools.Any(rng)) { Name = StackGenerator.Pick(rng, new[] { "user.k1", "user.k2", "user.k3" }) },
        };
    }
}
