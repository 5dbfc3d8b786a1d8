using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;
using OverlayPS.Errors;
using OverlayPS.Progress;

namespace OverlayPS.Commands;

/// <summary>
/// Export-OverlayLayer: a Docker store layer as its exact tar, the bytes <c>docker save</c>
/// writes as its layer.tar (sha256 = DiffID), plain or gzip, written all or nothing to a file.
/// Thin: bind, resolve the layer and the path, ShouldProcess, one Core call, output.
/// </summary>
[Cmdlet(VerbsData.Export, "OverlayLayer", SupportsShouldProcess = true, DefaultParameterSetName = LayerSet)]
[OutputType(typeof(FileInfo))]
public sealed partial class ExportOverlayLayerCommand : DockerStoreCommand
{
    const string LayerSet = "Layer", ImageSet = "Image";

    /// <summary>The layer: a layer object (Get-OverlayLayer), or its DiffID, ChainID or overlay2 dir id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = LayerSet)]
    [ValidateNotNull]
    public object Layer { get; set; } = null!;

    /// <summary>An image (tag or id): exports one of its layers, its top one unless -Index says.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageSet)]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>With -Image: which layer, 1 for the base layer up to the image's layer count (the default: its top layer).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidateRange(1, 10000)]
    public int Index { get; set; }

    /// <summary>The file to write (relative paths resolve against the FileSystem location).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Write gzip (what registries store as the layer blob) instead of the plain tar.</summary>
    [Parameter]
    public SwitchParameter Compress { get; set; }

    /// <summary>Replace the file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName is DriveSet or ContainerSet)
        {
            ExportLayerDir();
            return;
        }
        var (store, layer) = ParameterSetName == ImageSet ? FromImage() : FromLayer();
        if (layer is null)
            return;
        string path = "";
        if (!Guarded(() => path = HostPath.Resolve(SessionState, Path), e => ErrorRecords.ForResolve(e, Path, "DestinationNotOnFileSystem"), input: true))
            return;
        if (layer.Kind != LayerKind.Image || layer.DiffId is null)
        {
            WriteError(ErrorRecords.NotAnImageLayer(layer.CacheId, layer.Kind));
            return;
        }
        if (!ShouldProcess(path, $"Export layer {layer.DiffId} ({(Compress ? "gzip" : "tar")})"))
            return;
        var bar = new LayerProgressBar(this, $"Exporting layer {Digests.Short(layer.DiffId)}");
        try
        {
            Guarded(() => WriteObject(LayerExport.ToFile(RequireTarSplits(store, "Export-OverlayLayer of a store layer"), layer, path, Compress, Force,
                bar.ForLayer(layer.DiffId, layer.Size ?? 0), () => Stopping)), e => ErrorRecords.From(e, path));
        }
        finally { bar.Complete(); }
    }

    (ImageStore, DockerLayer?) FromLayer()
    {
        if (PipedStoreObject.From(Layer) is { } piped)
        {
            var (s, found) = ResolvePiped(piped);
            if (found is not DockerLayer l)
            {
                if (found is not null)
                    WriteNotAStoreObject(Layer);
                return (s, null);
            }
            return (s, l);
        }
        var id = (Layer is PSObject pso ? pso.BaseObject : Layer).ToString() ?? "";
        var store = OpenStore();
        var layers = ResolveLayerIds(new[] { id });
        if (layers.Count > 1)
        {
            WriteError(ErrorRecords.Ambiguous("layer", id, layers.Count));
            return (store, null);
        }
        return (store, layers.FirstOrDefault());
    }

    (ImageStore, DockerLayer?) FromImage()
    {
        var store = OpenStore();
        var images = ResolveImages(new[] { Image });
        if (images.Count == 0)
            return (store, null);
        var img = images[0];
        int index = Index == 0 ? img.GetLayers().Count : Index;
        if (index > img.GetLayers().Count)
        {
            WriteError(ErrorRecords.LayerIndexOutOfRange(img.Name, img.GetLayers().Count, Index));
            return (store, null);
        }
        var layer = img.GetLayers()[index - 1];
        if (layer is null)
            WriteError(ErrorRecords.ImageLayerMissing(img.Name, index, img.DiffIds[index - 1]));
        return (store, layer);
    }
}
