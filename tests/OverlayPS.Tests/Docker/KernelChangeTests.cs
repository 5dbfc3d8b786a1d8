using System.Diagnostics;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Union;

namespace OverlayPS.Tests.Docker;

/// <summary>
/// The change scanner against a model of moby's naive differ run on real kernel mounts: a
/// container-like session writes through a kernel overlay (so whiteouts, opaque dirs and
/// copy-ups are the kernel's own), then the lower view and the new view are mounted
/// read-only and compared tree to tree the way archive.ChangesDirs does.
/// </summary>
public sealed class KernelChangeTests
{
    const string Setup = """
        set -e
        mkdir -p l2/etc l2/usr/share/doc l2/app/nest/a/b l2/app/d2 l2/opt/keep l2/merged-dir l2/var l2/root
        echo motd > l2/etc/motd; echo root > l2/etc/passwd; echo doc > l2/usr/share/doc/x
        echo hello > l2/app/hello.txt; echo in > l2/app/d2/inner; echo f2 > l2/app/f2
        echo o > l2/app/owned; echo r > l2/app/readonly; echo t > l2/app/touched; echo x > l2/merged-dir/x
        echo b > l2/app/nest/a/b/file
        mkdir -p l1/app l1/opt/keep l1/merged-dir l1/root
        echo same > l1/app/same; echo y > l1/merged-dir/y; echo k > l1/opt/keep/file
        """;

    const string Session = """
        set -e
        cd m
        echo new > newfile
        echo more >> app/hello.txt
        rm etc/motd
        rm -rf usr/share/doc
        rm -rf app/nest && mkdir -p app/nest && echo x > app/nest/x
        chmod 700 opt/keep
        chown 1000:1000 app/owned
        mv etc/passwd etc/passwd.moved
        ln -s /newfile root/link
        mkdir -p root/newdir/deeper
        mkfifo app/fifo2
        rm -rf app/d2 && echo now-a-file > app/d2
        rm app/f2 && mkdir app/f2 && touch app/f2/inside
        touch -m -d '2001-01-01 00:00:00' app/touched
        cat app/readonly > /dev/null
        echo same > app/same
        touch var/tmpfile && rm var/tmpfile
        rm -rf merged-dir
        """;

    [SkippableFact]
    public void Scanner_equals_the_merged_tree_differ_on_a_kernel_written_upper()
    {
        RootOnly.Require("kernel overlay mounts");
        using var tmp = new TempDir("ovlps-kchanges");
        Sh(tmp.Path, Setup);
        foreach (var d in new[] { "up", "work", "m", "old", "new", "work2" })
            Directory.CreateDirectory(Path.Combine(tmp.Path, d));
        string P(string name) => Path.Combine(tmp.Path, name);
        using (new KernelOverlay(new LayerStack(new[] { P("l1"), P("l2") }, P("up"), P("work")), P("m")))
            Sh(tmp.Path, Session);

        List<string> oracle;
        using (KernelOverlay.ReadOnly(P("old"), P("l1"), P("l2")))
        using (KernelOverlay.ReadOnly(P("new"), P("up"), P("l1"), P("l2")))
            oracle = MergedTreeChanges(P("new"), P("old"));

        var ours = ChangeScanner.Scan(Path.Combine(tmp.Path, "up"),
            new BaseFirst<string>(new[] { Path.Combine(tmp.Path, "l2"), Path.Combine(tmp.Path, "l1") }), "up").Changes
            .Select(c => c.ToString()).OrderBy(x => x, StringComparer.Ordinal).ToList();
        Assert.True(oracle.Count > 20, string.Join("\n", oracle));
        Assert.Equal(oracle, ours);
        Assert.DoesNotContain("C /var", ours);          // copied up, nothing changed in the end
        Assert.DoesNotContain("C /app/readonly", ours); // read only: no copy-up
    }

    /// <summary>moby's naive differ between two trees (kernel merged views): "A /path", sorted.</summary>
    internal static List<string> MergedTreeChanges(string newRoot, string oldRoot)
    {
        var changes = new List<(string, char)>();
        AddChanges(Tree(newRoot), Tree(oldRoot), "/", changes);
        return changes.Select(c => $"{c.Item2} {c.Item1}").OrderBy(x => x, StringComparer.Ordinal).ToList();
    }

    sealed class Node
    {
        public required FileStat Stat;
        public byte[]? Cap;
        public Dictionary<string, Node> Children = new(StringComparer.Ordinal);
        public bool Added;
    }

    static Node Tree(string real)
    {
        var n = new Node { Stat = Files.LStat(real), Cap = Xattrs.Get(real, "security.capability") };
        if (n.Stat.IsDirectory)
            foreach (var e in Directory.EnumerateFileSystemEntries(real))
                n.Children[Path.GetFileName(e)] = Tree(e);
        return n;
    }

    /// <summary>moby pkg/archive changes.go (*FileInfo).addChanges, transcribed.</summary>
    static void AddChanges(Node info, Node? old, string path, List<(string, char)> changes)
    {
        int sizeAtEntry = changes.Count;
        if (old is null)
        {
            changes.Add((path, 'A'));
            info.Added = true;
        }
        var oldChildren = old is not null && info.Stat.IsDirectory
            ? new Dictionary<string, Node>(old.Children, StringComparer.Ordinal) : new Dictionary<string, Node>();
        foreach (var (name, child) in info.Children)
        {
            var childPath = path == "/" ? "/" + name : path + "/" + name;
            oldChildren.TryGetValue(name, out var oldChild);
            if (oldChild is not null)
            {
                if (StatDifferent(oldChild.Stat, child.Stat) || !SameBytes(oldChild.Cap, child.Cap))
                {
                    changes.Add((childPath, 'C'));
                    child.Added = true;
                }
                oldChildren.Remove(name);
            }
            AddChanges(child, oldChild, childPath, changes);
        }
        foreach (var name in oldChildren.Keys)
            changes.Add((path == "/" ? "/" + name : path + "/" + name, 'D'));
        if (changes.Count > sizeAtEntry && info.Stat.IsDirectory && !info.Added && path != "/")
            changes.Insert(sizeAtEntry, (path, 'C'));
    }

    static bool StatDifferent(FileStat o, FileStat n) =>
        o.Kind != n.Kind || o.Mode != n.Mode || o.Uid != n.Uid || o.Gid != n.Gid || o.RDev != n.RDev ||
        (!o.IsDirectory && (!(o.MTime.Seconds == n.MTime.Seconds && (o.MTime.Nanoseconds == n.MTime.Nanoseconds || o.MTime.Nanoseconds == 0 || n.MTime.Nanoseconds == 0)) || o.Size != n.Size));

    static bool SameBytes(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    static void Sh(string dir, string script)
    {
        var psi = new ProcessStartInfo("sh") { WorkingDirectory = dir, RedirectStandardError = true, ArgumentList = { "-c", script } };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"sh failed ({p.ExitCode}): {err}\n{script}");
    }
}
