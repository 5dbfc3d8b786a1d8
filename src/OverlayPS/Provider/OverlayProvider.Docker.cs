using System.Management.Automation;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Stores;
using OverlayPS.Core.Layers;
using OverlayPS.Core.Text;
using OverlayPS.Core.Union;

namespace OverlayPS.Provider;

public sealed partial class OverlayProvider
{
    /// <summary>
    /// New-PSDrive -Image/-Container: the read-only view of a Docker image or container read
    /// from an overlay2 store (-Store, /var/lib/docker by default), served from its diff dirs
    /// as held beneath the store root, with a name for each lower as the store knows it
    /// (<see cref="DockerLayerNames"/>). Null when the parameters ask for no Docker view;
    /// throws (and the caller writes the error) when the store or the name does not resolve
    /// to exactly one.
    /// </summary>
    (OverlayFs Union, IReadOnlyList<string> LowerNames)? DockerView(OverlayDriveParameters p)
    {
        if (p.Image is null && p.Container is null)
            return null;
        if (p.Image is not null && p.Container is not null)
            throw new ArgumentException("Give -Image or -Container, not both.");
        if (p.LowerDir is not null || p.UpperDir is not null || p.WorkDir is not null)
            throw new ArgumentException("-Image and -Container build the layer stack from the store: do not also give -LowerDir, -UpperDir or -WorkDir.");
        var store = ImageStore.Open(ResolveHostPath(p.Store ?? DockerStore.DefaultRoot), p.Namespace);
        if (p.Image is not null)
        {
            var images = store.FindImages(p.Image).ToList();
            if (images.Count != 1)
                throw new ArgumentException(images.Count == 0
                    ? $"No image '{p.Image}' in the store '{store.Root}'."
                    : $"'{p.Image}' names {images.Count} images ({string.Join(", ", images.Select(i => i.Name))}); give one.");
            var imageView = store.OpenImage(images[0]);
            return (imageView, DockerLayerNames(store, imageView.Stack));
        }
        var containers = store.FindContainers(p.Container!).ToList();
        if (containers.Count != 1)
            throw new ArgumentException(containers.Count == 0
                ? $"No container '{p.Container}' in the store '{store.Root}'."
                : $"'{p.Container}' names {containers.Count} containers; give one.");
        var view = store.OpenContainer(containers[0]);
        return (view, DockerLayerNames(store, view.Stack));
    }

    /// <summary>The image's own /etc/passwd and /etc/group, read through the union (a symlink
    /// there resolves inside the image): docker names a container's users from them, never
    /// from the host's. Missing or unreadable files name no one: ids show as numbers.</summary>
    static AccountFiles ImageAccounts(IUnionFileSystem union) =>
        AccountFiles.Parse(ReadSmallText(union, "/etc/passwd"), ReadSmallText(union, "/etc/group"));

    static string? ReadSmallText(IUnionFileSystem union, string path)
    {
        try
        {
            using var reader = new StreamReader(union.OpenRead(path));
            var buffer = new char[1 << 20]; // an account file is small; a huge one is cut, not read whole
            return new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>What an item's Layer says on a Docker drive: "rw" and "init" for a container's
    /// own layers, and for an image layer its Position, the number Get-OverlayLayer and
    /// Get-OverlayPathHistory give it (1 = the base), not its place in the stack.</summary>
    static IReadOnlyList<string> DockerLayerNames(ImageStore store, LayerStack stack) =>
        store.LayersOf(stack).Select((l, i) => l?.Kind switch
        {
            LayerKind.Container => "rw",
            LayerKind.Init => "init",
            LayerKind.Image => l.Position.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => $"lower{i + 1}",
        }).ToList();
}
