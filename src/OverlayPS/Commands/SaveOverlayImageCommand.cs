using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Artifacts;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;
using OverlayPS.Errors;
using OverlayPS.Progress;

namespace OverlayPS.Commands;

/// <summary>
/// Save-OverlayImage: images of a Docker store as the tar <c>docker save</c> writes (docker
/// 20.10's form: manifest.json, the config, one layer.tar per layer, repositories), with no
/// daemon; <c>docker load</c> of it gives the same image id, tags and history. Each layer is
/// rebuilt from its tar-split and verified against its DiffID as it is written; nothing is left
/// at the path unless every layer verified. Thin: bind, resolve, ShouldProcess, one Core call.
/// </summary>
[Cmdlet(VerbsData.Save, "OverlayImage", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveOverlayImageCommand : DockerStoreCommand
{
    /// <summary>Images: tags (recorded in the tar, as docker save records the tags it was
    /// given), ids (no tag recorded, as docker), or image objects (all their tags).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(DockerImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public object[] Image { get; set; } = Array.Empty<object>();

    /// <summary>The tar file to write (relative paths resolve against the FileSystem location).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Replace the file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    readonly List<DockerImage> _images = new();
    readonly Dictionary<string, List<string>> _tags = new(StringComparer.Ordinal);
    DockerStore? _store;

    protected override void ProcessRecord()
    {
        foreach (var input in Image)
        {
            if (PipedStoreObject.From(input) is { } piped)
            {
                var (s, found) = ResolvePiped(piped);
                if (found is DockerImage img && Same(s))
                    Add(img, img.Tags);
                else if (found is not null)
                    WriteNotAStoreObject(input);
                continue;
            }
            var reference = (input is PSObject pso ? pso.BaseObject : input).ToString() ?? "";
            var store = OpenStore();
            if (!Same(store))
                continue;
            foreach (var img in ResolveImages(new[] { reference }))
            {
                Add(img, ImageSave.TagsNamedBy(img, reference));
            }
        }
    }

    /// <summary>One tar holds images of one store.</summary>
    bool Same(ImageStore given)
    {
        var store = RequireOverlay2(given, "Save-OverlayImage");
        _store ??= store;
        if (ReferenceEquals(_store, store))
            return true;
        WriteError(ErrorRecords.ImagesOfSeveralStores(store.Root, _store.Root));
        return false;
    }

    void Add(DockerImage img, IEnumerable<string> tags)
    {
        if (!_tags.TryGetValue(img.Id, out var list))
        {
            _images.Add(img);
            _tags[img.Id] = list = new List<string>();
        }
        foreach (var t in tags)
            if (!list.Contains(t))
                list.Add(t);
    }

    protected override void EndProcessing()
    {
        if (_store is null || _images.Count == 0)
            return;
        string path = "";
        Guarded(() => path = HostPath.Resolve(SessionState, Path), e => ErrorRecords.ForResolve(e, Path, "DestinationNotOnFileSystem"),
            input: true, terminating: true);
        var names = string.Join(", ", _images.Select(i => _tags[i.Id].FirstOrDefault() ?? i.ShortId));
        if (!ShouldProcess(path, $"Save image(s) {names}"))
            return;
        var bar = new LayerProgressBar(this, $"Saving {names}");
        try
        {
            var toSave = _images.Select(i => new ImageToSave(i, _tags[i.Id])).ToList();
            Guarded(() => WriteObject(ImageSave.ToFile(_store, toSave, path, Force, bar, () => Stopping)), e => ErrorRecords.From(e, path));
        }
        finally { bar.Complete(); }
    }
}
