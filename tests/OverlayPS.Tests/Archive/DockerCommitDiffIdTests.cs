using OverlayPS.Core.Archive;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;
using OverlayPS.Tests.Daemon;

namespace OverlayPS.Tests.Archive;

/// <summary>
/// The oracle for the layer tar writer: the DiffID <c>docker commit</c> records for a stopped
/// container equals the sha256 of our export of that container's rw layer, read from the
/// daemon's own store. The container's changes cover every rule of docker's archive writer:
/// whiteouts (kernel whiteouts share one inode, so docker's second one carries a link name),
/// an opaque dir, hard links, a symlink, a fifo, a device node, a long (USTAR-split) name, a
/// name too long to split, a non-ASCII name, a uid beyond USTAR's octal field, a file copied in
/// with docker cp, and a security.capability xattr.
/// </summary>
[Collection(DockerdCollection.Name)]
public sealed class DockerCommitDiffIdTests(PrivateDockerd dockerd)
{
    [SkippableFact]
    public void ExportOfAStoppedContainersRwLayerHasTheDiffIdDockerCommitGives()
    {
        dockerd.Require();
        var rootfs = dockerd.MakeRootfsTar(Path.Combine(dockerd.Dir, "archive-rootfs.tar"));
        dockerd.Run("import", rootfs, "archive-base:1");
        string longDir = new string('d', 60) + "/" + new string('e', 60);
        string tooLong = new string('f', 120);
        var script = string.Join(" && ", new[]
        {
            "mkdir -p /data/sub /data/" + longDir,
            "echo hello > /data/a",
            "echo sub > /data/sub/b",
            "ln /data/a /data/hard",
            "ln -s ../etc/passwd /data/link",
            "busybox mkfifo /data/fifo",
            "busybox mknod /data/null c 1 3",
            "echo long > /data/" + longDir + "/file",
            "echo longer > /data/" + tooLong,
            "echo caf > /data/café",
            "echo big > /data/biguid && busybox chown 3000000:3000001 /data/biguid",
            "rm /etc/group /bin/head",                      // two whiteouts of lower files
            "rm -rf /root && mkdir /root && echo new > /root/new", // an opaque dir
            "echo changed >> /etc/passwd",                  // a copied-up file
        });
        dockerd.Run("run", "--name", "archive-c1", "archive-base:1", "sh", "-c", script);
        var host = Path.Combine(dockerd.Dir, "copied.txt");
        File.WriteAllText(host, "copied in\n");
        dockerd.Run("cp", host, "archive-c1:/data/copied");

        var store = DockerStore.Open(dockerd.DataRoot);
        var container = store.FindContainers("archive-c1").Single();
        var rw = container.GetRwLayer()!;
        // A file capability, set as root on the stopped container's upper (busybox has no setcap):
        // v2, cap_net_raw permitted and effective.
        byte[] cap = [0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Xattrs.Set(Path.Combine(rw.DiffPath, "data", "a"), "security.capability", cap);

        dockerd.Run("commit", "archive-c1", "archive-committed:1");
        var layers = dockerd.Run("image", "inspect", "--format", "{{range .RootFS.Layers}}{{println .}}{{end}}", "archive-committed:1")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        using var tar = new MemoryStream();
        // Owner names in the headers depend on the daemon's version (looked up before 23.0).
        int major = int.Parse(dockerd.Run("version", "--format", "{{.Server.Version}}").Split('.')[0]);
        var result = LayerDirExport.FromContainer(container, tar, new LayerTarOptions { HostOwnerNames = major < 23 });

        Assert.Equal(layers[^1].Trim(), result.DiffId);
        // The second whiteout was docker's shared-inode quirk: a regular .wh. entry carrying a link name.
        var entries = new List<TarEntry>();
        var reader = new TarEntryReader(new MemoryStream(tar.ToArray()));
        while (reader.Next() is { } e)
            entries.Add(e);
        var second = entries.Single(e => e.Name.AsSpan().SequenceEqual("etc/.wh.group"u8));
        Assert.Equal("bin/head", System.Text.Encoding.ASCII.GetString(second.LinkName));
        // and the stream is what the DiffID names
        Assert.Equal(result.DiffId, "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(tar.ToArray())).ToLowerInvariant());
    }
}
