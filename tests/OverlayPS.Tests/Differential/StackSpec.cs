using System.Text;

namespace OverlayPS.Tests.Differential;

/// <summary>What one generated name in a layer is.</summary>
public enum SpecKind
{
    File,
    Dir,
    Symlink,
    /// <summary>A second name for a regular file of the same layer (Target = its path).</summary>
    HardLink,
    /// <summary>The kernel's whiteout: char device 0/0.</summary>
    Whiteout,
    /// <summary>The xattr whiteout (kernel 6.7+): a zero-size file with overlay.whiteout, in a
    /// dir marked overlay.opaque=x. Only generated in lowers, where the kernel honours it.</summary>
    XattrWhiteout,
    Fifo,
}

/// <summary>
/// One entry of a generated layer. Paths are layer-relative and "/"-rooted ("/a/b").
/// Times are fixed seconds+nanoseconds well in the past, so a time the kernel carries over
/// (copy-up, rename) can be told from one it stamps (see <see cref="EntryDescription"/>).
/// </summary>
public sealed class SpecEntry
{
    public required string Path { get; init; }
    public required SpecKind Kind { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public long MTimeSec { get; init; }
    public long MTimeNsec { get; init; }
    public byte[] Data { get; init; } = Array.Empty<byte>();
    /// <summary>Symlink target, or the path a hard link shares its inode with.</summary>
    public string? Target { get; init; }
    /// <summary>overlay.opaque value for a dir: null, "y" (opaque) or "x" (holds xattr whiteouts).</summary>
    public string? Opaque { get; set; }
    public List<KeyValuePair<string, byte[]>> UserXattrs { get; init; } = new();

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Path).Append(' ').Append(Kind.ToString().ToLowerInvariant());
        if (Kind is SpecKind.File or SpecKind.Dir or SpecKind.Fifo or SpecKind.Symlink)
            sb.Append($" {Convert.ToString(Mode, 8)} {Uid}:{Gid}");
        if (Kind == SpecKind.File) sb.Append($" {Data.Length}B");
        if (Target is not null) sb.Append(" -> ").Append(Target);
        if (Opaque is not null) sb.Append(" opaque=").Append(Opaque);
        foreach (var x in UserXattrs) sb.Append(' ').Append(x.Key).Append("=0x").Append(Convert.ToHexString(x.Value));
        return sb.ToString();
    }
}

/// <summary>One layer directory's content, parents listed before their children.</summary>
public sealed class LayerSpec
{
    public List<SpecEntry> Entries { get; } = new();
    public long RootMTimeSec { get; init; }
}

/// <summary>
/// A generated stack: lowers topmost first (the order of lowerdir=), and an upper unless the
/// stack is read-only. Every path any layer holds is also a name the op generator aims at.
/// </summary>
public sealed class StackSpec
{
    public List<LayerSpec> Lowers { get; } = new();
    public LayerSpec? Upper { get; set; }

    /// <summary>The userxattr mode: markers are user.overlay.* (what rootless mounts use).</summary>
    public bool UserXattr { get; set; }
    public string XattrPrefix => UserXattr ? "user." : "trusted.";

    public IEnumerable<LayerSpec> Layers =>
        Upper is null ? Lowers : Lowers.Prepend(Upper);

    public int EntryCount => Layers.Sum(l => l.Entries.Count);

    /// <summary>A copy without one entry of one layer, its subtree and its hard links.</summary>
    public StackSpec Without(LayerSpec layer, SpecEntry entry)
    {
        LayerSpec Copy(LayerSpec l)
        {
            var copy = new LayerSpec { RootMTimeSec = l.RootMTimeSec };
            foreach (var e in l.Entries)
            {
                bool gone = l == layer && (e == entry || e.Path.StartsWith(entry.Path + "/", StringComparison.Ordinal)
                    || (e.Kind == SpecKind.HardLink && (e.Target == entry.Path || e.Target!.StartsWith(entry.Path + "/", StringComparison.Ordinal))));
                if (!gone)
                    copy.Entries.Add(e);
            }
            return copy;
        }
        var spec = new StackSpec { Upper = Upper is null ? null : Copy(Upper), UserXattr = UserXattr };
        spec.Lowers.AddRange(Lowers.Select(Copy));
        return spec;
    }

    public IEnumerable<SpecEntry> AllEntries =>
        Lowers.SelectMany(l => l.Entries).Concat(Upper?.Entries ?? Enumerable.Empty<SpecEntry>());

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (UserXattr)
            sb.AppendLine("  (userxattr: markers are user.overlay.*)");
        if (Upper is not null)
        {
            sb.AppendLine("  upper:");
            foreach (var e in Upper.Entries) sb.Append("    ").AppendLine(e.ToString());
        }
        else
        {
            sb.AppendLine("  (no upper: read-only stack)");
        }
        for (int i = 0; i < Lowers.Count; i++)
        {
            sb.AppendLine($"  lower{i + 1}:");
            foreach (var e in Lowers[i].Entries) sb.Append("    ").AppendLine(e.ToString());
        }
        return sb.ToString();
    }
}
