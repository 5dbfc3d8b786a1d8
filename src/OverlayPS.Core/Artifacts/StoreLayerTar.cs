using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;

namespace OverlayPS.Core.Artifacts;

/// <summary>
/// A store layer's exact tar (what docker save and push send, whose sha256 is the DiffID),
/// rebuilt offline from its tar-split and its diff dir: written to a stream and checked as it
/// goes. Every failure of the layer's own data (tar-split missing or hostile, files changed,
/// digest not the DiffID) is a <see cref="StoreFinding"/>, never an exception; what cannot be
/// read for other reasons (permissions) surfaces as PosixException.
/// </summary>
public static class StoreLayerTar
{
    /// <summary>Rebuilds <paramref name="layer"/> into <paramref name="output"/> (Stream.Null to
    /// only verify). <paramref name="progress"/> gets the bytes written so far after each file.</summary>
    public static LayerVerification Write(ImageStore store, DockerLayer layer, Stream output,
        Action<long>? progress = null, Func<bool>? stopping = null, TarSplitLimits? limits = null)
    {
        var subject = layer.ChainId ?? layer.CacheId;
        var findings = new List<StoreFinding>();
        LayerVerification Fail(StoreProblem p, string path, string message)
        {
            findings.Add(new StoreFinding(p, path, subject, $"layer {Name(layer)}: {message}") { Store = store.Root });
            return new LayerVerification(layer, null, 0, 0, findings);
        }
        if (layer.Kind != LayerKind.Image || layer.DiffId is null)
            return Fail(StoreProblem.BadTarSplit, layer.Path,
                "only image layers (recorded with a DiffID) have a tar-split to rebuild their tar from.");
        var tarSplitPath = store.TarSplitPath(layer);
        Stream? raw;
        LayerFileOpen status;
        try { raw = store.OpenTarSplit(layer, out status); }
        catch (InvalidDataException e) { return Fail(StoreProblem.BadTarSplit, tarSplitPath, e.Message); }
        if (raw is null)
            return Fail(StoreProblem.BadTarSplit, tarSplitPath, status == LayerFileOpen.Missing
                ? $"it has no {Path.GetFileName(tarSplitPath)}, so its tar cannot be rebuilt."
                : $"its {Path.GetFileName(tarSplitPath)} is not a regular file (a symlink, FIFO or device): it is not read.");
        using var diff = layer.OpenDiff();
        if (diff is null)
        {
            raw.Dispose();
            return Fail(StoreProblem.MissingLayerDir, layer.DiffPath, "its diff dir is missing.");
        }
        LayerAssemblyResult result;
        using (var reader = new TarSplitReader(raw, limits))
        {
            try
            {
                result = new LayerAssembler(diff, output) { Progress = progress, Stopping = stopping }.Run(reader);
            }
            catch (TarSplitException e) { return Fail(StoreProblem.BadTarSplit, tarSplitPath, e.Message); }
        }
        foreach (var f in result.Findings)
        {
            var problem = f.Problem switch
            {
                LayerFileProblem.Missing => StoreProblem.MissingLayerFile,
                LayerFileProblem.Extra => StoreProblem.ExtraLayerFile,
                _ => StoreProblem.TamperedLayerFile,
            };
            findings.Add(new StoreFinding(problem, Path.Combine(layer.DiffPath, f.Name), subject,
                $"layer {Name(layer)}: {f.Message}") { Store = store.Root });
        }
        if (result.Digest != layer.DiffId)
            findings.Add(new StoreFinding(StoreProblem.DiffIdMismatch, layer.DiffPath, subject,
                $"layer {Name(layer)}: its rebuilt tar ({result.Bytes} bytes) has digest {result.Digest}, not its DiffID {layer.DiffId}.") { Store = store.Root });
        return new LayerVerification(layer, result.Digest, result.Bytes, result.Files, findings);
    }

    /// <summary>The tar's size in bytes from the tar-split alone (segments plus recorded file
    /// sizes), without reading the layer: what a tar header for it must say.</summary>
    public static long SizeOf(ImageStore store, DockerLayer layer, TarSplitLimits? limits = null)
    {
        using var raw = store.OpenTarSplit(layer, out _)
            ?? throw new FileNotFoundException($"Layer {Name(layer)} has no tar-split.json.gz.", store.TarSplitPath(layer));
        using var reader = new TarSplitReader(raw, limits);
        long size = 0;
        while (reader.Next(out var e))
            size += e.Type == TarSplitEntryType.Segment ? e.Payload!.Length : e.Size;
        return size;
    }

    /// <summary>Verifies every image layer of the store (each once), base layers first. A layer
    /// whose overlay2 dir is gone is left to the store check, which reports it (MissingLayerDir).</summary>
    public static List<StoreFinding> VerifyAll(ImageStore store, IProgress<LayerProgress>? progress = null, Func<bool>? stopping = null)
    {
        var layers = store.Layers.Where(l => l.Kind == LayerKind.Image && l.Exists).ToList();
        var findings = new List<StoreFinding>();
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            long size = l.Size ?? 0;
            progress?.Report(new LayerProgress(i, layers.Count, l.DiffId ?? l.CacheId, 0, size));
            var v = Write(store, l, Stream.Null,
                bytes => progress?.Report(new LayerProgress(i, layers.Count, l.DiffId ?? l.CacheId, bytes, size)), stopping);
            findings.AddRange(v.Findings);
        }
        return findings;
    }

    static string Name(DockerLayer l) => l.DiffId is { } d ? Digests.Short(d) + $" (overlay2 {Digests.Short(l.CacheId)})" : l.CacheId;
}
