using OverlayPS.Core.Layers;

namespace OverlayPS.Core.Kernel;

/// <summary>
/// A kernel overlay mount as /proc/self/mountinfo shows it, layers unescaped and in order.
/// LowerDir/UpperDir/WorkDir/UserXattr carry the names New-PSDrive -PSProvider Overlay takes,
/// so the same stack can be opened as a drive.
/// </summary>
public sealed class OverlayMount
{
    public int MountId { get; }
    public string MountPoint { get; }
    public string Source { get; }
    /// <summary>Lower directories, topmost first (the order of lowerdir=).</summary>
    public string[] LowerDir { get; }
    public string? UpperDir { get; }
    public string? WorkDir { get; }
    /// <summary>Data-only lower layers (after "::", or datadir+).</summary>
    public string[] DataDir { get; }
    /// <summary>The super options other than the layers (rw, userxattr, redirect_dir=on, ...).</summary>
    public string[] Options { get; }
    public bool ReadOnly { get; }
    public bool UserXattr => Options.Contains("userxattr");
    /// <summary>How the layers were given: "lowerdir" for mount(2), "lowerdir+" for the new mount API.</summary>
    public string LayerSyntax { get; }

    OverlayMount(MountInfo info, string[] lowers, string? upper, string? work, string[] data, string[] options, string layerSyntax)
    {
        MountId = info.MountId;
        MountPoint = info.MountPoint;
        Source = info.Source;
        LowerDir = lowers;
        UpperDir = upper;
        WorkDir = work;
        DataDir = data;
        Options = options;
        ReadOnly = info.IsReadOnly;
        LayerSyntax = layerSyntax;
    }

    /// <summary>The overlay's layers out of its super options; null when it is not an overlay.</summary>
    public static OverlayMount? From(MountInfo info)
    {
        if (info.FsType != "overlay")
            return null;
        var lowers = new List<string>();
        var data = new List<string>();
        var options = new List<string>();
        string? upper = null, work = null;
        string syntax = "lowerdir";
        foreach (var opt in info.SuperOptionList)
        {
            int eq = opt.IndexOf('=');
            var key = eq < 0 ? opt : opt[..eq];
            var value = eq < 0 ? "" : opt[(eq + 1)..];
            switch (key)
            {
                case "lowerdir":
                    // Shown as given to mount(2): overlay-escaped, data layers after "::".
                    var (l, d) = OverlayOptionEscaping.SplitLowerDir(value);
                    lowers.AddRange(l);
                    data.AddRange(d);
                    break;
                case "lowerdir+":
                    // One layer per option, shown as given to fsconfig: never overlay-escaped
                    // (ovl_mount_dir_noesc).
                    lowers.Add(value);
                    syntax = "lowerdir+";
                    break;
                case "datadir+":
                    data.Add(value);
                    break;
                case "upperdir":
                    upper = OverlayOptionEscaping.Unescape(value);
                    break;
                case "workdir":
                    work = OverlayOptionEscaping.Unescape(value);
                    break;
                default:
                    options.Add(opt);
                    break;
            }
        }
        return new OverlayMount(info, lowers.ToArray(), upper, work, data.ToArray(), options.ToArray(), syntax);
    }

    /// <summary>The same stack as a value the engine serves (for a drive over the same dirs).</summary>
    public LayerStack ToLayerStack() =>
        new(LowerDir, UpperDir, WorkDir, DataDir, UserXattr);

    public override string ToString() => MountPoint;
}
