namespace OverlayPS.Core.Docker;

/// <summary>What the store check can find wrong.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum StoreProblem
{
    /// <summary>An overlay2 dir no layerdb entry or container mount names (disk nothing uses).</summary>
    UnreferencedDir,
    /// <summary>A layerdb entry or container mount whose overlay2 dir is gone.</summary>
    MissingLayerDir,
    /// <summary>An overlay2 dir without a <c>link</c> file, or whose link is not in l/.</summary>
    MissingLink,
    /// <summary>An l/ symlink that points nowhere, or not at <c>../&lt;id&gt;/diff</c>.</summary>
    BrokenLink,
    /// <summary>An l/ symlink no overlay2 dir claims in its <c>link</c> file.</summary>
    UnclaimedLink,
    /// <summary>A <c>lower</c> file naming a link that does not exist in l/.</summary>
    DanglingLower,
    /// <summary>A <c>&lt;id&gt;-removing</c> dir: a deletion that did not finish.</summary>
    UnfinishedRemoval,
    /// <summary>A layerdb entry whose parent ChainID has no entry.</summary>
    MissingParent,
    /// <summary>An image whose layer chain is not (all) in layerdb.</summary>
    MissingImageLayer,
    /// <summary>A layerdb entry without the files it must hold (cache-id, diff).</summary>
    IncompleteLayerDbEntry,
    /// <summary>A container whose image config is gone.</summary>
    MissingImage,
    /// <summary>A metadata file that could not be parsed.</summary>
    Unparsable,
    /// <summary>An overlay2 container with no layerdb/mounts entry: docker cannot start it
    /// (a removal or creation that did not finish).</summary>
    MissingContainerLayer,
    /// <summary>A layerdb/mounts entry no container config names (an interrupted docker rm): its
    /// read-write and init dirs use disk nothing will free.</summary>
    OrphanContainerLayer,
    /// <summary>An id read from a store file (cache-id, mount-id, init-id, link, lower) that is
    /// not of the form moby writes: it is never used as a path, so its layer reads as missing.</summary>
    UnsafeId,
    /// <summary>A store file that is a symlink, FIFO, device or directory where moby writes a
    /// regular file: it is not followed or opened for reading.</summary>
    NotRegularFile,
    /// <summary>A store file larger than any moby writes (4 KiB for id files, 16 MiB for JSON):
    /// it is not read.</summary>
    TooLarge,
    /// <summary>A store dir (overlay2/&lt;id&gt;, its diff, a layerdb entry...) that is a symlink:
    /// it is never followed, so nothing outside the store is read through it.</summary>
    LinkedLayerDir,
    /// <summary>Verification (Test-OverlayStore -Verify): a file of a layer's diff dir whose
    /// content or size is not what its tar-split recorded (CRC-64 or size differs), or that
    /// was replaced by a symlink or special file.</summary>
    TamperedLayerFile,
    /// <summary>Verification: a file, whiteout or opaque mark the tar-split recorded that the
    /// diff dir no longer holds.</summary>
    MissingLayerFile,
    /// <summary>Verification: an entry of the diff dir the tar-split does not record.</summary>
    ExtraLayerFile,
    /// <summary>Verification: the reassembled tar stream's sha256 is not the layer's DiffID.</summary>
    DiffIdMismatch,
    /// <summary>Verification: a layer's tar-split.json.gz is missing, not a regular file, not
    /// what tar-split writes (bad gzip or JSON, out-of-order entries), over its bounds, or
    /// holds an unsafe name (absolute, "..").</summary>
    BadTarSplit,
}

/// <summary>One thing wrong in a store, naming the path at fault.</summary>
public sealed record StoreFinding(StoreProblem Problem, string Path, string Subject, string Message)
{
    /// <summary>The store root checked.</summary>
    public string? Store { get; init; }
    /// <summary>What kind of store it is.</summary>
    public StoreKind StoreKind { get; init; } = StoreKind.DockerOverlay2;
    public override string ToString() => $"{Problem}: {Message}";
}
