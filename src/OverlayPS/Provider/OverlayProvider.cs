using System.Management.Automation;
using System.Management.Automation.Provider;
using OverlayPS.Core.Kernel;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>
/// The Overlay provider: drives over a layer stack served by the Core union engine.
/// This file holds the drive lifecycle; item and content operations live in the partial
/// files beside it.
/// </summary>
[CmdletProvider(ProviderName, ProviderCapabilities.ShouldProcess | ProviderCapabilities.Filter)]
public sealed partial class OverlayProvider : NavigationCmdletProvider
{
    public const string ProviderName = "Overlay";

    protected override object NewDriveDynamicParameters() => new OverlayDriveParameters();

    protected override PSDriveInfo? NewDrive(PSDriveInfo drive)
    {
        if (drive is OverlayDriveInfo ready)
            return ready;
        var p = DynamicParameters as OverlayDriveParameters;
        if (p is not null && (p.Image is not null || p.Container is not null))
            return GuardedNewDrive(drive.Name, () =>
            {
                var (union, layerNames) = DockerView(p)!.Value;
                return new OverlayDriveInfo(NormalizeDriveRoot(drive), union, new ItemNames(layerNames, ImageAccounts(union)));
            });
        if (p?.LowerDir is null || p.LowerDir.Length == 0)
        {
            WriteError(ErrorRecords.LowerDirRequired(drive.Name));
            return null;
        }
        return GuardedNewDrive(drive.Name, () =>
        {
            var stack = new LayerStack(
                p.LowerDir.Select(ResolveHostPath),
                p.UpperDir is null ? null : ResolveHostPath(p.UpperDir),
                p.WorkDir is null ? null : ResolveHostPath(p.WorkDir),
                userXattr: p.UserXattr.IsPresent || LayerStack.DefaultUserXattr);
            LayerStackValidator.Validate(stack);
            OverlayMountValidator.RequireNoOverlap(stack);
            if (ForeignMarks.Find(stack) is { } marked)
                WriteWarning(StackWarnings.ForeignMarks(stack, marked));
            foreach (var m in OverlayMountTable.UsingUpperOf(stack))
                WriteWarning($"The upper directory '{stack.Upper}' is in use by the overlay mounted on '{m.MountPoint}': changes through this drive and through that mount race each other (the kernel calls it undefined behaviour). Dismount it first, or open the drive read-only (without -UpperDir).");
            var options = new OverlayFsOptions
            {
                OciWhiteouts = p.OciWhiteouts.IsPresent,
                RedirectDir = p.RedirectDir.IsPresent || p.Metacopy.IsPresent,    // metacopy=on implies redirect_dir=on
                MetaCopy = p.Metacopy.IsPresent,
            };
            return new OverlayDriveInfo(NormalizeDriveRoot(drive), new OverlayFs(stack, options));
        });
    }

    /// <summary>Layer dirs are host paths: absolute ones as written (a '\' is a name
    /// character on Linux), relative ones against the FileSystem location.</summary>
    string ResolveHostPath(string path) => Arguments.HostPath.Resolve(SessionState, path);

    /// <summary>The drive's root is "name:/" whatever -Root said: the union's "/" seen through
    /// this drive. A root naming the drive keeps provider paths (and so PSPath) tied to their
    /// union when piped; see <see cref="OverlayPath"/>.</summary>
    static PSDriveInfo NormalizeDriveRoot(PSDriveInfo drive) =>
        new(drive.Name, drive.Provider, OverlayPath.Root(drive.Name), drive.Description, drive.Credential);
}
