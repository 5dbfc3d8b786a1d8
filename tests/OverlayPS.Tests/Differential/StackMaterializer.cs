using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// Writes a <see cref="StackSpec"/> to disk: <c>lower1..N</c> (lower1 topmost), <c>upper</c>,
/// <c>work</c> and an empty <c>mnt</c> under one folder. Called twice per sequence, the two
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
        Files.Mkdir(dir, 0x1ED);
        foreach (var e in layer.Entries)
        {
            var p = dir + e.Path;
            switch (e.Kind)
            {
                case SpecKind.File:
                    File.WriteAllBytes(p, e.Data);
                    break;
                case SpecKind.Dir:
                    Files.Mkdir(p, 0x1ED);
                    break;
                case SpecKind.Symlink:
                    Files.Symlink(e.Target!, p);
                    break;
                case SpecKind.HardLink:
                    Files.Link(dir + e.Target, p);
                    break;
                case SpecKind.Whiteout:
                    Files.MakeWhiteout(p);
                    break;
                case SpecKind.XattrWhiteout:
                    File.WriteAllBytes(p, Array.Empty<byte>());
                    Xattrs.Set(p, prefix + "overlay.whiteout", "y");
                    break;
                case SpecKind.Fifo:
                    Files.MkNod(p, FileKind.Fifo, e.Mode);
                    break;
            }
        }
        foreach (var e in layer.Entries)
        {
            var p = dir + e.Path;
            if (e.Kind == SpecKind.HardLink)
                continue;
            foreach (var x in e.UserXattrs)
                Xattrs.Set(p, x.Key, x.Value);
            if (e.Opaque is not null)
                Xattrs.Set(p, prefix + "overlay.opaque", e.Opaque);
            // chown before chmod: chown clears setuid/setgid.
            Files.LChown(p, e.Uid, e.Gid);
            if (e.Kind != SpecKind.Symlink)
                Files.Chmod(p, e.Mode);
        }
        // Times last and children first: every create above stamped its parent dir.
        for (int i = layer.Entries.Count - 1; i >= 0; i--)
        {
            var e = layer.Entries[i];
            if (e.Kind == SpecKind.HardLink)
                continue;
            var t = new PosixTime(e.MTimeSec, e.MTimeNsec);
            Files.LUTimes(dir + e.Path, t, t);
        }
        var rt = new PosixTime(layer.RootMTimeSec, 0);
        Files.LUTimes(dir, rt, rt);
    }
}
