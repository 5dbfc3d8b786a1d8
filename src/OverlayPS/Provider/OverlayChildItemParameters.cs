using System.Management.Automation;

namespace OverlayPS.Provider;

/// <summary>Get-ChildItem's extra switches on an Overlay drive, named as the FileSystem
/// provider names them.</summary>
public sealed class OverlayChildItemParameters
{
    /// <summary>Only files (and other non-containers).</summary>
    [Parameter]
    public SwitchParameter File { get; set; }

    /// <summary>Only directories (and symlinks to directories).</summary>
    [Parameter]
    [Alias("ad", "d")]
    public SwitchParameter Directory { get; set; }

    /// <summary>Only hidden items: on Linux, names starting with a dot.</summary>
    [Parameter]
    [Alias("ah", "h")]
    public SwitchParameter Hidden { get; set; }

    /// <summary>With -Recurse, also walk into symlinks to directories (inside the union); a
    /// directory already walked is skipped with a warning, as the FileSystem provider does.</summary>
    [Parameter]
    public SwitchParameter FollowSymlink { get; set; }

    /// <summary>Also list each layer's markers in each listed directory: whiteouts (the names
    /// deleted there) and opaque marks, so a user can see why a name is gone.</summary>
    [Parameter]
    public SwitchParameter ShowMarkers { get; set; }
}
