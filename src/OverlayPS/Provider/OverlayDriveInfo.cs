using System.Management.Automation;
using OverlayPS.Core.Layers;

namespace OverlayPS.Provider;

/// <summary>A mounted Overlay drive: the PSDriveInfo plus the layer stack it serves.</summary>
public sealed class OverlayDriveInfo : PSDriveInfo
{
    public LayerStack Stack { get; }

    public OverlayDriveInfo(PSDriveInfo drive, LayerStack stack) : base(drive)
    {
        Stack = stack;
    }

    public IReadOnlyList<string> LowerDir => Stack.Lowers;
    public string? UpperDir => Stack.Upper;
    public string? WorkDir => Stack.Work;
    public bool ReadOnly => Stack.IsReadOnly;
}
