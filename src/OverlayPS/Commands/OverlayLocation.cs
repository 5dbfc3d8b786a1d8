using System.Management.Automation;
using OverlayPS.Core.Transfer;
using OverlayPS.Core.Union;
using OverlayPS.Items;
using OverlayPS.Provider;

namespace OverlayPS.Commands;

/// <summary>
/// A path a cross-provider cmdlet was given, resolved to the side that holds it: a union path
/// on an Overlay drive, or a host path on the FileSystem provider.
/// </summary>
public sealed record OverlayLocation(ITreeSide Side, string Path, string Shown, OverlayDriveInfo? Drive)
{
    public IUnionFileSystem? Union => Drive?.Union;

    /// <summary>Resolves a PowerShell path (wildcards unless literal) to one location per match.</summary>
    public static IEnumerable<OverlayLocation> Resolve(PSCmdlet cmdlet, string psPath, bool literal)
    {
        ProviderInfo provider;
        IEnumerable<string> providerPaths;
        if (literal)
        {
            providerPaths = new[] { cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(psPath, out provider, out _) };
        }
        else
        {
            providerPaths = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(psPath, out provider);
        }
        foreach (var p in providerPaths)
            yield return At(cmdlet, provider, p);
    }

    /// <summary>A path that may not exist yet (a destination).</summary>
    public static OverlayLocation ResolveUnresolved(PSCmdlet cmdlet, string psPath)
    {
        var p = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(psPath, out var provider, out _);
        return At(cmdlet, provider, p);
    }

    static OverlayLocation At(PSCmdlet cmdlet, ProviderInfo provider, string providerPath)
    {
        if (provider.Name == OverlayProvider.ProviderName)
        {
            var union = OverlayPath.ToUnion(providerPath, out var name);
            var drive = name is null ? null : cmdlet.SessionState.Drive.Get(name) as OverlayDriveInfo;
            if (drive is null)
                throw new System.Management.Automation.DriveNotFoundException($"Cannot find an Overlay drive for '{providerPath}'.");
            return new OverlayLocation(new UnionTreeSide(drive.Union), union, OverlayPath.Join(drive.Name, union), drive);
        }
        if (provider.Name == "FileSystem")
            return new OverlayLocation(HostTreeSide.Instance, providerPath, providerPath, null);
        throw new PSArgumentException($"'{providerPath}' is on the {provider.Name} provider; this cmdlet works on Overlay drives and host (FileSystem) paths.");
    }

    /// <summary>Where Combine(dir, name) lands, spelled for users.</summary>
    public string ShowChild(string path) => Drive is null ? path : OverlayPath.Join(Drive.Name, path);
}
