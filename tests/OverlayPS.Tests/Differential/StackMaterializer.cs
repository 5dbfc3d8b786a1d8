using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// Writes a <see cref="StackSpec"/> to disk through <see cref="LayerBuilder"/>: <c>lower1..N</c>
/// (lower1 topmost), <c>upper</c>, <c>work</c> and an empty <c>mnt</c> under one folder. Called twice per sequence, the two
/// copies are identical in everything compared (inode numbers and ctimes aside).
/// </summary>
public static class StackMaterializer
{
    public static LayerStack Write(StackSpec spec, string root)
    {
        var lowers = new List<string>();
        for (int i = 0; i < spec.Lowers.Count; i++)
        {
            var dir = Path.Combine(root, $"lower{i + 1}");
            WriteLayer(spec.Lowers[i], dir, spec.XattrPrefix);
            lowers.Add(dir);
        }
        Directory.CreateDirectory(Path.Combine(root, "mnt"));
        if (spec.Upper is null)
            return new LayerStack(lowers, userXattr: spec.UserXattr);
        var upper = Path.Combine(root, "upper");
        var work = Path.Combine(root, "work");
        WriteLayer(spec.Upper, upper, spec.XattrPrefix);
        Directory.CreateDirectory(work);
        return new LayerStack(lowers, upper, work, userXattr: spec.UserXattr);
    }

    static void WriteLayer(LayerSpec layer, string dir, string prefix)
    {
        var b = new LayerBuilder(dir, prefix);
        foreach (var e in layer.Entries)
        {
            _ = e.Kind switch
            {
                SpecKind.File => b.Bytes(e.Path, e.Data),
                SpecKind.Dir => b.Dir(e.Path),
                SpecKind.Symlink => b.Symlink(e.Path, e.Target!),
                SpecKind.HardLink => b.HardLink(e.Path, e.Target!),
                SpecKind.Whiteout => b.Whiteout(e.Path),
                SpecKind.XattrWhiteout => b.XattrWhiteout(e.Path),
                SpecKind.Fifo => b.Fifo(e.Path, e.Mode),
                _ => throw new ArgumentOutOfRangeException(nameof(layer), e.Kind, e.Path),
            };
        }
        foreach (var e in layer.Entries.Where(e => e.Kind != SpecKind.HardLink))
        {
            foreach (var x in e.UserXattrs)
                b.Xattr(e.Path, x.Key, x.Value);
            if (e.Opaque is not null)
                b.Opaque(e.Path, e.Opaque);
            b.Owner(e.Path, e.Uid, e.Gid);
            if (e.Kind != SpecKind.Symlink)
                b.Mode(e.Path, e.Mode);
        }
        // Times last and children first: every create above stamped its parent dir.
        foreach (var e in Enumerable.Reverse(layer.Entries).Where(e => e.Kind != SpecKind.HardLink))
            b.Times(e.Path, new PosixTime(e.MTimeSec, e.MTimeNsec));
        b.Times("/", new PosixTime(layer.RootMTimeSec, 0));
    }
}
