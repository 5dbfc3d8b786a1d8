using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Core.Artifacts;

/// <summary>
/// Compares what a layer's diff dir holds with the tar names its tar-split recorded. Unpacking
/// a layer turns <c>.wh.&lt;name&gt;</c> into a whiteout of &lt;name&gt; and
/// <c>&lt;dir&gt;/.wh..wh..opq</c> into the opaque mark on &lt;dir&gt; (moby overlay2 ApplyDiff,
/// archive.go's overlay whiteout converter), so each entry of the diff dir is mapped back to the
/// tar name it came from before comparing; what counts as a whiteout or an opaque mark is
/// <see cref="LayerMarks"/>'s rule, the one every other layer read uses. Directories that only
/// hold recorded names (a tar that did not list every parent) are not extra. Walks beneath the
/// held dir, never through a link.
/// </summary>
internal static class DiffInventory
{
    const string OpaqueMark = LayerMarks.OciOpaque, WhiteoutPrefix = LayerMarks.OciPrefix;

    public static List<LayerFileFinding> Compare(DirHandle diff, HashSet<string> recorded)
    {
        var onDisk = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(diff, onDisk, kinds);

        var implied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in recorded)
            for (int i = name.LastIndexOf('/'); i > 0; i = name.LastIndexOf('/', i - 1))
                if (!implied.Add(name[..i]))
                    break;

        var findings = new List<LayerFileFinding>();
        foreach (var name in recorded)
            if (name.Length > 0 && !onDisk.Contains(name))
                findings.Add(new LayerFileFinding(LayerFileProblem.Missing, name, MissingMessage(name)));
        foreach (var name in onDisk)
            if (!recorded.Contains(name) && !(kinds[name] == "directory" && implied.Contains(name)))
                findings.Add(new LayerFileFinding(LayerFileProblem.Extra, name,
                    $"'{name}' ({kinds[name]}) is in the diff dir but not recorded in the layer: it was added after the layer was made."));
        return findings;
    }

    static string MissingMessage(string name)
    {
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        if (leaf == OpaqueMark)
            return $"'{name}' is recorded (an opaque directory), but the diff dir's '{Parent(name)}' is not marked opaque.";
        if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            return $"'{name}' is recorded (a whiteout), but the diff dir holds no whiteout there.";
        return $"'{name}' is recorded in the layer but not in its diff dir.";
    }

    static string Parent(string name) => name.LastIndexOf('/') is var i and > 0 ? name[..i] : "/";

    static void Walk(DirHandle root, HashSet<string> onDisk, Dictionary<string, string> kinds)
    {
        var pending = new Stack<string>();
        pending.Push("");
        while (pending.Count > 0)
        {
            var rel = pending.Pop();
            using var dir = rel.Length == 0 ? null : LayerFileAccess.OpenDir(root, rel);
            var d = rel.Length == 0 ? root : dir;
            if (d is null)
                continue;
            using var reader = d.Read();
            while (reader.Next(out var name, out _))
            {
                if (!d.TryStat(name, out var st))
                    continue;
                var path = rel.Length == 0 ? name : rel + "/" + name;
                if (LayerMarks.IsWhiteoutInAnyNamespace(d, name, st))
                {
                    Add(onDisk, kinds, Join(rel, WhiteoutPrefix + name), "whiteout");
                    continue;
                }
                Add(onDisk, kinds, path, KindName(st.Kind));
                if (st.IsDirectory)
                {
                    if (LayerMarks.IsOpaqueInAnyNamespace(d, name))
                        Add(onDisk, kinds, path + "/" + OpaqueMark, "opaque mark");
                    pending.Push(path);
                }
            }
        }
    }

    static string Join(string rel, string name) => rel.Length == 0 ? name : rel + "/" + name;

    static void Add(HashSet<string> set, Dictionary<string, string> kinds, string name, string kind)
    {
        set.Add(name);
        kinds[name] = kind;
    }

    static string KindName(FileKind kind) => kind switch
    {
        FileKind.Regular => "file",
        FileKind.Directory => "directory",
        FileKind.Symlink => "symlink",
        FileKind.Fifo => "FIFO",
        FileKind.CharDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        _ => "entry",
    };
}
