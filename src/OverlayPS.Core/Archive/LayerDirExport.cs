using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>The layer dirs a tar is written from: any directory (a drive's upper), or a docker
/// container's rw layer read from its store (the layer <c>docker commit</c> hashes; its init
/// layer is not part of it, as in docker).</summary>
public static class LayerDirExport
{
    /// <summary>A directory's content as a layer tar (the directory is held once, then walked beneath).</summary>
    public static LayerTarResult FromDirectory(string dir, Stream output, LayerTarOptions options)
    {
        using var root = DirHandle.OpenRoot(dir);
        return LayerTarWriter.Write(root, output, options);
    }

    /// <summary>A directory's layer tar to a file, all or nothing (a temp file renamed over it).</summary>
    public static (FileInfo File, LayerTarResult Tar) DirectoryToFile(string dir, string path, bool overwrite, LayerTarOptions options)
    {
        LayerTarResult? tar = null;
        var file = Artifacts.ArtifactFile.Write(path, overwrite, o => tar = FromDirectory(dir, o, options));
        return (file, tar!);
    }

    /// <summary>A container's rw layer tar to a file, all or nothing.</summary>
    public static (FileInfo File, LayerTarResult Tar) ContainerToFile(DockerContainer container, string path, bool overwrite, LayerTarOptions options)
    {
        LayerTarResult? tar = null;
        var file = Artifacts.ArtifactFile.Write(path, overwrite, o => tar = FromContainer(container, o, options));
        return (file, tar!);
    }

    /// <summary>A container's rw layer, opened beneath its store's held root (never through a link).</summary>
    public static LayerTarResult FromContainer(DockerContainer container, Stream output, LayerTarOptions options)
    {
        var rw = container.GetRwLayer()
            ?? throw new InvalidOperationException($"Container {container.Name} has no rw layer: {container.NoRwLayerReason}");
        using var root = rw.OpenDiff()
            ?? throw new DirectoryNotFoundException($"Container {container.Name}'s rw layer {rw.CacheId} has no diff dir.");
        return LayerTarWriter.Write(root, output, options with { XattrPrefix = "trusted." });
    }
}
