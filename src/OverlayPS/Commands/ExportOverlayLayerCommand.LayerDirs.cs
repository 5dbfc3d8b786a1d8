using System.Management.Automation;
using OverlayPS.Arguments;
using OverlayPS.Core.Archive;
using OverlayPS.Core.Docker;
using OverlayPS.Errors;
using OverlayPS.Provider;

namespace OverlayPS.Commands;

/// <summary>
/// Export-OverlayLayer for layer dirs that have no recorded tar: an Overlay drive's upper and
/// a container's rw layer, written by docker's own archive rules (Core/Archive/LayerTarWriter),
/// so a stopped container's export has the DiffID <c>docker commit</c> gives it.
/// </summary>
public sealed partial class ExportOverlayLayerCommand
{
    const string DriveSet = "Drive", ContainerSet = "Container";

    /// <summary>An Overlay drive (name, with or without ':'): its upper dir is exported.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DriveSet)]
    [ValidateNotNullOrEmpty]
    public string Drive { get; set; } = "";

    /// <summary>A container (name or id) of the store: its rw layer is exported (not its init layer, as docker commit).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ContainerSet)]
    [ArgumentCompleter(typeof(DockerContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    /// <summary>Owner names from this host's accounts in the headers, as docker before 23.0
    /// wrote them (Debian 12's docker.io 20.10): needed for its DiffIDs. Default: empty names,
    /// as docker 23 and later.</summary>
    [Parameter(ParameterSetName = DriveSet)]
    [Parameter(ParameterSetName = ContainerSet)]
    public SwitchParameter HostOwnerNames { get; set; }

    void ExportLayerDir()
    {
        string path = "";
        OverlayDriveInfo? drive = null;
        DockerContainer? container = null;
        if (!Guarded(() =>
            {
                path = HostPath.Resolve(SessionState, Path);
                if (ParameterSetName == DriveSet)
                {
                    drive = SessionState.Drive.Get(Drive.TrimEnd(':')) as OverlayDriveInfo
                        ?? throw new PSArgumentException($"'{Drive}' is not an Overlay drive.");
                    if (drive.UpperDir is null)
                        throw new InvalidOperationException($"Drive '{drive.Name}' is read-only: it has no upper dir to export.");
                }
            }, e => ErrorRecords.From(e, ParameterSetName == DriveSet ? Drive : Path), input: true))
            return;
        if (ParameterSetName == ContainerSet)
        {
            OpenStore();
            var found = ResolveContainers(new[] { Container });
            if (found.Count != 1)
            {
                if (found.Count > 1)
                    WriteError(ErrorRecords.Ambiguous("container", Container, found.Count));
                return;
            }
            container = found[0];
        }
        var source = drive is not null ? $"the upper of drive '{drive.Name}'" : $"the rw layer of container {container!.Name}";
        if (!ShouldProcess(path, $"Export {source} ({(Compress ? "gzip" : "tar")})"))
            return;
        var options = new LayerTarOptions
        {
            Gzip = Compress.IsPresent,
            HostOwnerNames = HostOwnerNames.IsPresent,
            XattrPrefix = drive?.Stack.XattrPrefix ?? "trusted.",
            Stopping = () => Stopping,
        };
        Guarded(() =>
        {
            var (file, tar) = drive is not null
                ? LayerDirExport.DirectoryToFile(drive.UpperDir!, path, Force, options)
                : LayerDirExport.ContainerToFile(container!, path, Force, options);
            WriteVerbose($"{tar.Entries} entries, DiffID {tar.DiffId}");
            WriteObject(file);
        }, e => ErrorRecords.From(e, path), input: true);
    }
}
