using System.IO.Compression;
using System.Text;
using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;
using OverlayPS.Tests.Docker;

namespace OverlayPS.Tests.Artifacts;

/// <summary>
/// tar-split files are store metadata, so untrusted: names that leave the layer, absurd lines,
/// gzip bombs, broken gzip or JSON, links and FIFOs in place of the file each give one named
/// BadTarSplit finding (never an exception, a hang, or a read outside the layer).
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class HostileTarSplitTests
{
    readonly DockerFixture _fx;
    public HostileTarSplitTests(DockerFixture fx) => _fx = fx;

    static string Line(string json) => json + "\n";

    static string FileEntry(string name, long size, byte[] crc, int pos) =>
        Line($"{{\"type\":1,\"name\":\"{name}\",\"size\":{size},\"payload\":\"{Convert.ToBase64String(crc)}\",\"position\":{pos}}}");

    static byte[] Gzip(string text)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(text));
        return ms.ToArray();
    }

    [SkippableTheory]
    [InlineData("dotdot", "'..' component")]
    [InlineData("absolute", "an absolute name")]
    [InlineData("longline", "longer than 4096 bytes")]
    [InlineData("bomb", "more than 65536 bytes")]
    [InlineData("notgzip", "not valid gzip")]
    [InlineData("badjson", "not a tar-split entry")]
    [InlineData("badtype", "entry type 7")]
    [InlineData("order", "out of order")]
    [InlineData("nocrc", "no 8-byte CRC-64")]
    [InlineData("symlink", "not a regular file")]
    [InlineData("fifo", "not a regular file")]
    [InlineData("missing", "no tar-split.json.gz")]
    public void A_hostile_tar_split_is_one_named_finding(string variant, string says)
    {
        var root = _fx.UnpackCopy("hostile-" + variant);
        var store = DockerStore.Open(root);
        var layer = Assert.Single(store.FindImages("base:latest")).Layers[0]!;
        var file = store.TarSplitPath(layer);
        var hostname = File.ReadAllBytes("/etc/hostname");
        var crc = new Crc64Iso();
        crc.Append(hostname);
        File.Delete(file);
        switch (variant)
        {
            case "dotdot":
                // Enough "../" to reach / from the diff dir: opened, it would even match.
                File.WriteAllBytes(file, Gzip(FileEntry("../../../../../../../../../../etc/hostname", hostname.Length, crc.Sum(), 0)));
                break;
            case "absolute":
                File.WriteAllBytes(file, Gzip(FileEntry("/etc/hostname", hostname.Length, crc.Sum(), 0)));
                break;
            case "longline":
                File.WriteAllBytes(file, Gzip(Line($"{{\"type\":2,\"payload\":\"{new string('A', 8000)}\",\"position\":0}}")));
                break;
            case "bomb":
                var sb = new StringBuilder();
                for (int i = 0; i < 10_000; i++)
                    sb.Append(Line($"{{\"type\":2,\"payload\":\"AAAA\",\"position\":{i}}}"));
                File.WriteAllBytes(file, Gzip(sb.ToString()));
                break;
            case "notgzip":
                File.WriteAllText(file, "{\"type\":2,\"payload\":\"\",\"position\":0}\n");
                break;
            case "badjson":
                File.WriteAllBytes(file, Gzip(Line("{\"type\":2,\"payload\":\"AAAA\",\"position\":0") + Line("[1,2]")));
                break;
            case "badtype":
                File.WriteAllBytes(file, Gzip(Line("{\"type\":7,\"position\":0}")));
                break;
            case "order":
                File.WriteAllBytes(file, Gzip(Line("{\"type\":2,\"payload\":\"\",\"position\":3}") + Line("{\"type\":2,\"payload\":\"\",\"position\":1}")));
                break;
            case "nocrc":
                File.WriteAllBytes(file, Gzip(Line("{\"type\":1,\"name\":\"etc/motd\",\"size\":10,\"payload\":\"AAAA\",\"position\":0}")));
                break;
            case "symlink":
                File.CreateSymbolicLink(file, "/etc/hostname");
                break;
            case "fifo":
                using (var p = System.Diagnostics.Process.Start("mkfifo", new[] { file }))
                {
                    p.WaitForExit();
                    Assert.Equal(0, p.ExitCode);
                }
                break;
            case "missing":
                break;
        }
        var limits = new TarSplitLimits { MaxLineBytes = 4096, MaxTotalBytes = 65536 };
        var v = StoreLayerTar.Write(DockerStore.Open(root), layer, Stream.Null, limits: limits);
        var f = Assert.Single(v.Findings);
        Assert.Equal(StoreProblem.BadTarSplit, f.Problem);
        Assert.Equal(file, f.Path);
        Assert.Contains(says, f.Message);
        Assert.Null(v.Digest);
    }

    [SkippableFact]
    public void A_truncated_tar_split_does_not_verify()
    {
        var root = _fx.UnpackCopy("hostile-truncated");
        var store = DockerStore.Open(root);
        var layer = Assert.Single(store.FindImages("app:1.0")).Layers[2]!;
        var file = store.TarSplitPath(layer);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        var v = StoreLayerTar.Write(DockerStore.Open(root), layer, Stream.Null);
        Assert.NotEmpty(v.Findings);
        Assert.All(v.Findings, f => Assert.Contains(f.Problem, new[] { StoreProblem.BadTarSplit, StoreProblem.DiffIdMismatch }));
    }
}
