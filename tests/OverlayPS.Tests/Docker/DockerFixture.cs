using System.Text.Json;

namespace OverlayPS.Tests.Docker;

/// <summary>
/// The real Docker store of tests/fixtures/docker-overlay2 unpacked once per test run (as root:
/// the opaque markers are trusted.* xattrs and whiteouts are device nodes) with docker's own
/// answers beside it. The reader uses no absolute path from the store's JSON, so nothing needs
/// rebasing from /var/lib/docker.
/// </summary>
public sealed class DockerFixture : IDisposable
{
    public static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "docker-overlay2");
    public static string TruthDir => Path.Combine(FixtureDir, "ground-truth");
    public static string ContainerdFixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "containerd-overlayfs");

    readonly TempDir _dir = new("ovlps-docker");
    Exception? _unpackError;
    string? _root;

    /// <summary>The unpacked data root; skips (or fails in CI) without root.</summary>
    public string Root
    {
        get
        {
            RootOnly.Require("unpacking the Docker fixture (whiteouts, trusted.* xattrs)");
            if (_root is null && _unpackError is null)
            {
                try { _root = Unpack(Path.Combine(FixtureDir, "store.tar.gz"), _dir.Sub("store"), "docker"); }
                catch (Exception e) { _unpackError = e; }
            }
            if (_unpackError is not null)
                throw new InvalidOperationException("unpacking the fixture failed", _unpackError);
            return _root!;
        }
    }

    /// <summary>A fresh, private copy to damage.</summary>
    public string UnpackCopy(string name) =>
        Unpack(Path.Combine(FixtureDir, "store.tar.gz"), _dir.Sub(name), "docker");

    public string UnpackContainerd() =>
        Unpack(Path.Combine(ContainerdFixtureDir, "store.tar.gz"), _dir.Sub("containerd"), "containerd");

    public string ScratchDir(string name) => _dir.Sub(name);

    /// <summary>Unpacks a store tarball as a store needs (whiteouts, trusted.* and user.* xattrs,
    /// numeric owners); returns dest/top.</summary>
    internal static string Unpack(string tarball, string dest, string top)
    {
        FixtureTar.Run("--xattrs", "--xattrs-include=trusted.*", "--xattrs-include=user.*",
            "--numeric-owner", "-xzf", tarball, "-C", dest);
        return Path.Combine(dest, top);
    }

    public static JsonElement Json(string file) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TruthDir, file))).RootElement;

    public static IEnumerable<JsonElement> JsonLines(string file) =>
        File.ReadAllLines(Path.Combine(TruthDir, file)).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement);

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "Docker fixture";
}
