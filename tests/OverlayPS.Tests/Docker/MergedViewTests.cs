using System.Text;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Docker;

/// <summary>
/// The merged view of every image and container, served by the union engine over the store's
/// layer dirs, against the <c>tar -tvv</c> listing of <c>docker export</c>: names, types, modes,
/// owners, sizes and link targets.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class MergedViewTests
{
    readonly DockerFixture _fx;
    public MergedViewTests(DockerFixture fx) => _fx = fx;

    /// <summary>What moby's init layer adds when the image lacks it (daemon/initlayer): an
    /// image export is of a throw-away container, so these come from its init layer.</summary>
    static readonly string[] InitLayerPaths =
        { ".dockerenv", "dev/console", "dev/pts", "dev/shm", "etc/hostname", "etc/hosts", "etc/mtab", "etc/resolv.conf", "proc", "sys" };

    [SkippableFact]
    public void Every_image_view_equals_its_export_listing()
    {
        var store = DockerStore.Open(_fx.Root);
        int checkedImages = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(DockerFixture.TruthDir, "image-files")))
        {
            var id = "sha256:" + Path.GetFileName(file).Split('.')[0];
            var img = Assert.Single(store.Images, i => i.Id == id);
            var ours = Listing(store.OpenImage(img));
            var export = ParseTarListing(file)
                .Where(e => !(InitLayerPaths.Contains(e.Key) && !ours.ContainsKey(e.Key)))
                .ToDictionary(e => e.Key, e => e.Value);
            AssertSameTree(export, ours, img.Name);
            checkedImages++;
        }
        Assert.Equal(30, checkedImages);
    }

    [SkippableTheory]
    [InlineData("c-ran")]
    [InlineData("c-stopped")]
    [InlineData("c-created")]
    public void Every_container_view_equals_its_export_listing(string name)
    {
        var store = DockerStore.Open(_fx.Root);
        var c = Assert.Single(store.FindContainers(name));
        var ours = Listing(store.OpenContainer(c));
        var export = ParseTarListing(Path.Combine(DockerFixture.TruthDir, "container-files", name + ".tar-tv.txt"));
        Assert.True(export.Count > 300, $"only {export.Count} entries parsed");
        AssertSameTree(export, ours, name);
        if (name == "c-ran")
        {
            // The names that are easy to get wrong, present and typed right.
            Assert.StartsWith("-rw-r--r-- 0/0 13 ", ours["app/ünïcödé-名前.txt"]);
            Assert.StartsWith("prw-r--r-- ", ours["app/fifo"]);
            Assert.Equal("lrwxrwxrwx 0/0 0 ../does/not/exist", ours["app/dangling-symlink"]);
            Assert.False(ours.ContainsKey("app/hl-a"));          // deleted in the container
            Assert.False(ours.ContainsKey("app/empty-nested/a")); // hidden by the opaque dir
        }
    }

    internal static void AssertSameTree(Dictionary<string, string> export, Dictionary<string, string> ours, string what)
    {
        var missing = export.Keys.Except(ours.Keys).OrderBy(x => x, StringComparer.Ordinal).ToList();
        var extra = ours.Keys.Except(export.Keys).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: missing {string.Join(", ", missing)}; extra {string.Join(", ", extra)}");
        var differ = export.Where(e => ours[e.Key] != e.Value).Select(e => $"{e.Key}: export '{e.Value}' ours '{ours[e.Key]}'").ToList();
        Assert.True(differ.Count == 0, $"{what}: {string.Join("; ", differ.Take(10))}");
    }

    /// <summary>path -> "mode uid/gid size target" from the engine's recursive ReadDir.</summary>
    internal static Dictionary<string, string> Listing(OverlayFs fs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push("/");
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var e in fs.ReadDir(dir))
            {
                var st = e.Stat;
                string target = st.IsSymlink ? fs.ReadLink(e.Path) : "";
                long size = st.IsRegular ? st.Size : 0;
                result[e.Path.TrimStart('/')] = $"{ModeString(st)} {st.Uid}/{st.Gid} {size} {target}";
                if (st.IsDirectory)
                    stack.Push(e.Path);
            }
        }
        return result;
    }

    /// <summary>GNU tar -tvv lines: "mode uid/gid size date time name[ -> target| link to other]".
    /// A hard link ('h') is a regular file of its target's size.</summary>
    static Dictionary<string, string> ParseTarListing(string file)
    {
        var rows = new List<(string Mode, string Owner, long Size, string Name, string Target, string? HardTo)>();
        foreach (var line in File.ReadAllLines(file, Encoding.UTF8).Where(l => l.Length > 0))
        {
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            // mode, owner, size, date, time: the rest is the name (may hold spaces).
            var fields = new List<string>();
            int pos = 0;
            for (int f = 0; f < 5; f++)
            {
                while (line[pos] == ' ') pos++;
                int end = line.IndexOf(' ', pos);
                fields.Add(line[pos..end]);
                pos = end;
            }
            var rest = line[(pos + 1)..];
            string name = rest, target = "";
            string? hardTo = null;
            var mode = fields[0];
            if (mode[0] == 'l')
            {
                int arrow = rest.IndexOf(" -> ", StringComparison.Ordinal);
                name = rest[..arrow];
                target = rest[(arrow + 4)..];
            }
            else if (mode[0] == 'h')
            {
                int at = rest.IndexOf(" link to ", StringComparison.Ordinal);
                name = rest[..at];
                hardTo = rest[(at + 9)..];
                mode = "-" + mode[1..];
            }
            _ = parts;
            rows.Add((mode, fields[1], long.Parse(fields[2]), name.TrimEnd('/'), target, hardTo));
        }
        var sizes = rows.ToDictionary(r => r.Name, r => r.Size, StringComparer.Ordinal);
        return rows.ToDictionary(r => r.Name,
            r => $"{r.Mode} {r.Owner} {(r.HardTo is null ? r.Size : sizes[r.HardTo])} {r.Target}", StringComparer.Ordinal);
    }

    internal static string ModeString(in FileStat st)
    {
        char type = st.Kind switch
        {
            FileKind.Directory => 'd', FileKind.Symlink => 'l', FileKind.Fifo => 'p',
            FileKind.CharDevice => 'c', FileKind.BlockDevice => 'b', FileKind.Socket => 's', _ => '-',
        };
        var m = st.Mode;
        var sb = new StringBuilder().Append(type);
        sb.Append((m & 0x100) != 0 ? 'r' : '-').Append((m & 0x80) != 0 ? 'w' : '-');
        sb.Append((m & 0x800) != 0 ? ((m & 0x40) != 0 ? 's' : 'S') : ((m & 0x40) != 0 ? 'x' : '-'));
        sb.Append((m & 0x20) != 0 ? 'r' : '-').Append((m & 0x10) != 0 ? 'w' : '-');
        sb.Append((m & 0x400) != 0 ? ((m & 0x8) != 0 ? 's' : 'S') : ((m & 0x8) != 0 ? 'x' : '-'));
        sb.Append((m & 0x4) != 0 ? 'r' : '-').Append((m & 0x2) != 0 ? 'w' : '-');
        sb.Append((m & 0x200) != 0 ? ((m & 0x1) != 0 ? 't' : 'T') : ((m & 0x1) != 0 ? 'x' : '-'));
        return sb.ToString();
    }
}
