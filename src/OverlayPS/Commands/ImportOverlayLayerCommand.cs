using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Archive;
using OverlayPS.Errors;
using OverlayPS.Provider;

namespace OverlayPS.Commands;

/// <summary>
/// Import-OverlayLayer: an OCI layer tar (plain or gzip) applied as a new lower directory, or
/// onto the upper of an Overlay drive. Core stages the whole tar first and refuses every
/// tar-slip there; the target changes only when the whole layer staged.
/// </summary>
[Cmdlet(VerbsData.Import, "OverlayLayer", SupportsShouldProcess = true, DefaultParameterSetName = LowerSet)]
[OutputType(typeof(DirectoryInfo))]
public sealed class ImportOverlayLayerCommand : GuardedCmdlet
{
    const string LowerSet = "Lower", DriveSet = "Drive";

    /// <summary>The layer tar (.tar or .tar.gz; gzip is recognised by its first bytes).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "Path")]
    [ValidateNotNullOrEmpty]
    public string LiteralPath { get; set; } = "";

    /// <summary>The new lower directory; it must not exist yet.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = LowerSet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    /// <summary>Opaque marks (and xattr whiteouts) as user.overlay.*, for a -UserXattr stack.</summary>
    [Parameter(ParameterSetName = LowerSet)]
    public SwitchParameter UserXattr { get; set; }

    /// <summary>Keep .wh. files as they are, for a drive made with -OciWhiteouts.</summary>
    [Parameter(ParameterSetName = LowerSet)]
    public SwitchParameter OciWhiteouts { get; set; }

    /// <summary>An Overlay drive (name, with or without ':'): the layer goes onto its upper.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DriveSet)]
    [ValidateNotNullOrEmpty]
    public string Drive { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string tar = "", target = "";
        OverlayDriveInfo? drive = null;
        if (!Guarded(() =>
        {
            tar = HostPath.Resolve(SessionState, LiteralPath);
            if (!File.Exists(tar))
                throw new FileNotFoundException($"The layer tar '{tar}' does not exist.", tar);
            if (ParameterSetName == DriveSet)
            {
                drive = SessionState.Drive.Get(Drive.TrimEnd(':')) as OverlayDriveInfo
                    ?? throw new PSArgumentException($"'{Drive}' is not an Overlay drive.");
                target = drive.UpperDir ?? throw new InvalidOperationException($"Drive '{drive.Name}' is read-only: it has no upper to import onto.");
            }
            else
                target = HostPath.Resolve(SessionState, Destination);
        }, e => ErrorRecords.From(e, LiteralPath), input: true))
            return;

        var what = drive is null ? $"Import layer '{tar}' as a new lower directory" : $"Import layer '{tar}' onto the upper of drive '{drive.Name}'";
        if (!ShouldProcess(target, what))
            return;
        Guarded(() =>
        {
            LayerImportResult result;
            if (drive is null)
            {
                result = LayerImport.ToNewLower(tar, target, new LayerImportOptions
                {
                    XattrPrefix = UserXattr ? "user." : "trusted.",
                    OciWhiteouts = OciWhiteouts.IsPresent,
                    Stopping = () => Stopping,
                });
            }
            else
            {
                var options = new LayerImportOptions { XattrPrefix = drive.Stack.XattrPrefix, Stopping = () => Stopping };
                // The drive sees the change at once: its directory cache checks each kept
                // directory against the upper before use (writes from outside included).
                result = LayerImport.OntoUpper(tar, target, drive.WorkDir!, options);
            }
            WriteVerbose($"{result.Entries} entries, {result.Whiteouts} whiteout(s), {result.OpaqueDirs} opaque dir(s), {result.Bytes} bytes into '{result.Target}'.");
            if (PassThru)
                WriteObject(new DirectoryInfo(result.Target));
        }, e => ErrorRecords.From(e, tar), input: true);
    }
}
