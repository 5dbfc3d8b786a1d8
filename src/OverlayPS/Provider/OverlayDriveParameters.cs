using System.Management.Automation;

namespace OverlayPS.Provider;

/// <summary>The dynamic parameters New-PSDrive takes for -PSProvider Overlay.</summary>
public sealed class OverlayDriveParameters
{
    /// <summary>Lower directories, topmost first (the order of the kernel's lowerdir=).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? LowerDir { get; set; }

    // Null is allowed: a read-only Get-OverlayMount object pipes in with no upper and no work dir.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? UpperDir { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? WorkDir { get; set; }

    /// <summary>Use user.overlay.* xattrs (the kernel's userxattr option) instead of trusted.*.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter UserXattr { get; set; }

    /// <summary>Read OCI markers in the lower dirs (<c>.wh.name</c> hides name, <c>.wh..wh..opq</c>
    /// makes its dir opaque), for layers unpacked from image tarballs. Off by default: the
    /// kernel shows such files as plain files.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter OciWhiteouts { get; set; }

    /// <summary>Write as the kernel's redirect_dir=on: renaming a directory with lower content
    /// succeeds and leaves an overlay.redirect (instead of EXDEV). Redirects are read either way.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter RedirectDir { get; set; }

    /// <summary>Follow and write metacopy files, as the kernel's metacopy=on (Fedora's rootful
    /// podman): metadata changes copy up metadata only. Without it a metacopy file is refused
    /// with "Operation not permitted", as by a default mount.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Metacopy { get; set; }

    /// <summary>A Docker data root for -Image/-Container (default /var/lib/docker).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>The containerd namespace of -Image/-Container when -Store is a containerd store
    /// (default <c>default</c>, or <c>moby</c> under a Docker data root).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OverlayPS.Arguments.ContainerdNamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Open this Docker image (tag or id) of the -Store read-only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OverlayPS.Arguments.DockerImageNameCompleter))]
    public string? Image { get; set; }

    /// <summary>Open this Docker container's filesystem (name or id) of the -Store read-only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OverlayPS.Arguments.DockerContainerNameCompleter))]
    public string? Container { get; set; }
}
