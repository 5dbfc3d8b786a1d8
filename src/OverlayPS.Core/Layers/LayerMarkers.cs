using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Layers;

/// <summary>What kind of overlay marker a layer directory holds.</summary>
public enum LayerMarkerKind
{
    /// <summary>A name deleted in this layer: char device 0/0, or the xattr form.</summary>
    Whiteout,
    /// <summary>The directory itself is opaque: nothing below this layer shows through.</summary>
    Opaque,
}

/// <summary>One marker found in a layer directory, with the real path that holds it.</summary>
public sealed record LayerMarker(LayerMarkerKind Kind, string Name, string RealPath, FileStat Stat);

/// <summary>
/// Reads the markers one layer's copy of a directory holds, for showing a user why a name is
/// gone (the inverse of <see cref="LayerSpec"/>). Display only: lookups and listings are the
/// engine's and never go through here. The tests are the kernel's: a whiteout is a char device
/// 0/0 (ovl_is_whiteout) or, inside a directory marked overlay.opaque=x, an empty regular
/// file with overlay.whiteout (ovl_path_check_xwhiteout_xattr); a directory with
/// overlay.opaque=y is opaque (ovl_is_opaquedir).
/// </summary>
public static class LayerMarkers
{
    /// <summary>The markers of the directory at layerDir (a real path); none when it is not there.</summary>
    public static IEnumerable<LayerMarker> Read(LayerStack stack, string layerDir)
    {
        if (!Files.TryLStat(layerDir, out var dirStat) || !dirStat.IsDirectory)
            yield break;
        var opaque = Xattrs.GetString(layerDir, stack.OpaqueXattr);
        if (opaque == "y")
            yield return new LayerMarker(LayerMarkerKind.Opaque, ".", layerDir, dirStat);
        bool xattrWhiteouts = opaque == "x";
        foreach (var path in Directory.EnumerateFileSystemEntries(layerDir))
        {
            if (!Files.TryLStat(path, out var st))
                continue;
            bool whiteout = st.IsCharDevice00 ||
                (xattrWhiteouts && st.IsRegular && st.Size == 0 && Xattrs.Get(path, stack.WhiteoutXattr) is not null);
            if (whiteout)
                yield return new LayerMarker(LayerMarkerKind.Whiteout, Path.GetFileName(path), path, st);
        }
    }
}
