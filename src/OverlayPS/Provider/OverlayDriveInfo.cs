using System.Management.Automation;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;

namespace OverlayPS.Provider;

/// <summary>A mounted Overlay drive: the PSDriveInfo plus the union engine serving its stack.</summary>
public sealed class OverlayDriveInfo : PSDriveInfo
{
    /// <summary>The engine every item and content operation of this drive goes through.</summary>
    public IUnionFileSystem Union { get; }
    public LayerStack Stack => Union.Stack;

    readonly IReadOnlyList<string>? _lowerNames;

    /// <param name="lowerNames">A name per lower, topmost first, where the layers have names of
    /// their own (a Docker drive's "rw", "init", "9"); else they are "lower1", "lower2"...</param>
    public OverlayDriveInfo(PSDriveInfo drive, IUnionFileSystem union, IReadOnlyList<string>? lowerNames = null) : base(drive)
    {
        Union = union;
        _lowerNames = lowerNames;
    }

    /// <summary>What an item's Layer column says for a layer of this drive.</summary>
    public string LayerName(LayerRef layer) =>
        !layer.IsUpper && _lowerNames is { } names && layer.Index < names.Count ? names[layer.Index] : layer.Name;

    public IReadOnlyList<string> LowerDir => Stack.Lowers;
    public string? UpperDir => Stack.Upper;
    public string? WorkDir => Stack.Work;
    public bool ReadOnly => Stack.IsReadOnly;
}
