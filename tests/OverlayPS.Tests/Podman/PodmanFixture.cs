using System.Text.Json;

namespace OverlayPS.Tests.Podman;

/// <summary>
/// The real podman store of tests/fixtures/podman-overlay (containers-storage, overlay driver)
/// unpacked once per test run, as root (whiteouts are device nodes, opaque markers trusted.*
/// xattrs), with podman's own answers beside it. The reader uses no absolute path from the
/// store's JSON, so nothing is rebased from /tmp/fx/pod/storage.
/// </summary>
public sealed class PodmanFixture : IDisposable
{
    public static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "podman-overlay");
    public static string TruthDir => Path.Combine(FixtureDir, "ground-truth");

    readonly TempDir _dir = new("ovlps-podman");
    Exception? _unpackError;
    string? _root;

    /// <summary>The unpacked graph root (storage/); skips (or fails in CI) without root.</summary>
    public string Root
    {
        get
        {
            RootOnly.Require("unpacking the podman fixture (whiteouts, trusted.* xattrs)");
            if (_root is null && _unpackError is null)
            {
                try { _root = Unpack(_dir.Sub("store")); }
                catch (Exception e) { _unpackError = e; }
            }
            if (_unpackError is not null)
                throw new InvalidOperationException("unpacking the fixture failed", _unpackError);
            return _root!;
        }
    }

    /// <summary>A fresh, private copy to damage.</summary>
    public string UnpackCopy(string name)
    {
        RootOnly.Require("unpacking the podman fixture (whiteouts, trusted.* xattrs)");
        return Unpack(_dir.Sub(name));
    }

    static string Unpack(string dest) =>
        Docker.DockerFixture.Unpack(Path.Combine(FixtureDir, "store.tar.gz"), dest, "storage");

    public static JsonElement Json(string file) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TruthDir, file))).RootElement;

    public static string[] Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(x => x.GetString()!).ToArray() : Array.Empty<string>();

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<PodmanFixture>
{
    public const string Name = "Podman fixture";
}
