using System.Management.Automation;

namespace OverlayPS.Provider;

/// <summary>Test-Path's extra parameters on an Overlay drive, as the FileSystem provider has them.</summary>
public sealed class OverlayItemExistsParameters
{
    /// <summary>True only when the item was last written before this time.</summary>
    [Parameter]
    public DateTime? OlderThan { get; set; }

    /// <summary>True only when the item was last written after this time.</summary>
    [Parameter]
    public DateTime? NewerThan { get; set; }
}
