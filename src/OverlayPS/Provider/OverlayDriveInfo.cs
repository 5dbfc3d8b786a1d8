using System.Management.Automation;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>A mounted Overlay drive: the PSDriveInfo plus the union engine serving its stack.</summary>
public sealed class OverlayDriveInfo : PSDriveInfo
{
    /// <summary>The engine every item and content operation of this drive goes through.
    /// Internal: every item carries its PSDrive, and a public engine here would be walked by
    /// Export-Clixml and ConvertTo-Json (its directory cache and layer handles included).</summary>
    internal IUnionFileSystem Union { get; }
    public LayerStack Stack => Union.Stack;

    /// <summary>How items of this drive name their layer, owner and group.</summary>
    public ItemNames Names { get; }

    internal OverlayDriveInfo(PSDriveInfo drive, IUnionFileSystem union, ItemNames? names = null) : base(drive)
    {
        Union = union;
        Names = names ?? ItemNames.Host;
    }

    public IReadOnlyList<string> LowerDir => Stack.Lowers;
    public string? UpperDir => Stack.Upper;
    public string? WorkDir => Stack.Work;
    public bool ReadOnly => Stack.IsReadOnly;
}
