using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// Mount-Overlay: a kernel overlay mount made with mount(2) or the new mount API, never by
/// shelling out to mount(8). Validation, escaping and the strategy live in Core.
/// </summary>
[Cmdlet(VerbsData.Mount, "Overlay", SupportsShouldProcess = true)]
[OutputType(typeof(OverlayMount))]
public sealed class MountOverlayCommand : GuardedCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("MountPoint")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Lower directories, topmost first (the order of lowerdir=).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] LowerDir { get; set; } = Array.Empty<string>();

    // Upper, work and data dirs may come in null or empty by property name: a read-only
    // Get-OverlayMount object has none, and piping it back in remounts the same stack.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? UpperDir { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? WorkDir { get; set; }

    /// <summary>Data-only lower layers (after "::"), reachable through metacopy redirects only.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? DataDir { get; set; }

    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter UserXattr { get; set; }

    [Parameter]
    [ValidateSet("on", "follow", "nofollow", "off")]
    public string? RedirectDir { get; set; }

    [Parameter]
    public SwitchParameter Metacopy { get; set; }

    [Parameter]
    public SwitchParameter Index { get; set; }

    [Parameter]
    public SwitchParameter Volatile { get; set; }

    /// <summary>Further overlay options ("key" or "key=value"), passed to the kernel as they are.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Option { get; set; }

    /// <summary>How the stack reaches the kernel; Auto picks mount(2) when the options fit one page.</summary>
    [Parameter]
    public MountStrategy Strategy { get; set; } = MountStrategy.Auto;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        OverlayMountRequest? request = null;
        if (!Guarded(() =>
        {
            var stack = new LayerStack(
                LowerDir.Select(Resolve),
                string.IsNullOrEmpty(UpperDir) ? null : Resolve(UpperDir),
                string.IsNullOrEmpty(WorkDir) ? null : Resolve(WorkDir),
                DataDir?.Where(d => !string.IsNullOrEmpty(d)).Select(Resolve),
                UserXattr.IsPresent);
            request = new OverlayMountRequest(Resolve(Path), stack)
            {
                ReadOnly = ReadOnly.IsPresent,
                RedirectDir = RedirectDir,
                Metacopy = Given(nameof(Metacopy)) ? Metacopy.IsPresent : null,
                Index = Given(nameof(Index)) ? Index.IsPresent : null,
                Volatile = Volatile.IsPresent,
                ExtraOptions = Option ?? Array.Empty<string>(),
                Strategy = Strategy,
            };
            // Checked before ShouldProcess so -WhatIf reports a bad stack too.
            OverlayMountValidator.Validate(request);
        }, e => ErrorRecords.From(e, Path), input: true) || request is null)
            return;

        var strategy = OverlayMounter.ChooseStrategy(request);
        var what = $"overlay of {request.Stack.Lowers.Count} lower(s){(request.Stack.Upper is null ? ", read-only" : $", upper '{request.Stack.Upper}'")} via {strategy}";
        if (!ShouldProcess(request.MountPoint, $"Mount {what}"))
            return;
        if (ForeignMarks.Find(request.Stack) is { } marked)
            WriteWarning(StackWarnings.ForeignMarks(request.Stack, marked));
        // The kernel mounts over an upper in use and only logs a warning: say it here.
        foreach (var other in OverlayMountTable.UsingUpperOf(request.Stack))
            WriteWarning($"The upper directory '{request.Stack.Upper}' is already in use by the overlay mounted on '{other.MountPoint}': accessing files through both mounts is undefined behaviour (the kernel's words).");
        Guarded(() =>
        {
            var mount = OverlayMounter.Mount(request);
            MountsMadeHere.Add(mount);
            if (PassThru)
                WriteObject(mount);
        }, e => ErrorRecords.From(e, request.MountPoint, e is OverlayMountException ? "OverlayMountFailed" : null), input: true);
    }

    bool Given(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    /// <summary>An absolute path is taken literally: PowerShell's path resolution would turn a
    /// '\' in a directory name into '/'. Relative paths resolve against the current location.</summary>
    string Resolve(string path) => HostPath.Resolve(SessionState, path);
}
