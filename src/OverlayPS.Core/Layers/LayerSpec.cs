using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Layers;

/// <summary>
/// Builds layer directories from a small text description, so sample and test stacks with
/// whiteouts and opaque dirs (special files and xattrs git cannot carry) are made on the
/// spot. One entry a line: <c>&lt;layer&gt; &lt;kind&gt; &lt;path&gt; [text]</c>, where layer is
/// <c>upper</c> or <c>lowerN</c> (lower1 = topmost, as in lowerdir=) and kind is
/// <c>dir</c>, <c>file</c> (text = content), <c>link</c> (text = target), <c>whiteout</c> or
/// <c>opaque</c> (a directory marked overlay.opaque=y). '#' starts a comment.
/// </summary>
public static class LayerSpec
{
    /// <summary>Creates root/{upper,work,lower1..N} from the description; returns the stack.</summary>
    public static LayerStack Build(string description, string root, bool userXattr)
    {
        var entries = Parse(description).ToList();
        int lowers = entries.Where(e => e.Layer != "upper")
            .Select(e => int.Parse(e.Layer.AsSpan(5))).DefaultIfEmpty(1).Max();
        var lowerDirs = Enumerable.Range(1, lowers).Select(i => Path.Combine(root, $"lower{i}")).ToList();
        foreach (var d in lowerDirs.Append(Path.Combine(root, "upper")).Append(Path.Combine(root, "work")))
            Directory.CreateDirectory(d);
        var stack = new LayerStack(lowerDirs, Path.Combine(root, "upper"), Path.Combine(root, "work"),
            userXattr: userXattr);

        foreach (var e in entries)
        {
            var target = Path.Combine(root, e.Layer) + e.Path;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            switch (e.Kind)
            {
                case "dir":
                    Directory.CreateDirectory(target);
                    break;
                case "opaque":
                    Directory.CreateDirectory(target);
                    Xattrs.Set(target, stack.OpaqueXattr, "y");
                    break;
                case "file":
                    File.WriteAllText(target, e.Text.Replace("\\n", "\n"));
                    break;
                case "link":
                    Files.Symlink(e.Text, target);
                    break;
                case "whiteout":
                    Files.MakeWhiteout(target);
                    break;
                default:
                    throw new FormatException($"Unknown kind '{e.Kind}' in layer description line: {e.Line}");
            }
        }
        return stack;
    }

    static readonly string[] Kinds = { "dir", "file", "link", "whiteout", "opaque" };

    record Entry(string Layer, string Kind, string Path, string Text, string Line);

    static IEnumerable<Entry> Parse(string description)
    {
        foreach (var raw in description.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split((char[]?)null, 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !parts[2].StartsWith('/') ||
                !(parts[0] == "upper" || (parts[0].StartsWith("lower") && int.TryParse(parts[0].AsSpan(5), out var n) && n > 0)))
                throw new FormatException($"Bad layer description line (want '<upper|lowerN> <kind> </path> [text]'): {line}");
            if (!Kinds.Contains(parts[1]))
                throw new FormatException($"Unknown kind '{parts[1]}' (want one of {string.Join(", ", Kinds)}): {line}");
            if (parts[2].Split('/').Any(c => c == ".."))
                throw new FormatException($"'..' is not allowed in a layer description path: {line}");
            yield return new Entry(parts[0], parts[1], parts[2].TrimEnd('/'), parts.Length > 3 ? parts[3] : "", line);
        }
    }
}
