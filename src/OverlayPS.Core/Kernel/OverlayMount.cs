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
    /// <summary>Mounted with redirect_dir=on (or metacopy=on, which implies it): a drive piped from
    /// this mount writes redirects the same way.</summary>
    public bool RedirectDir => Options.Contains("redirect_dir=on") || Metacopy;
    public bool Metacopy => Options.Contains("metacopy=on");
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
    /// <param name="dirExists">How relative lowers are probed (see <see cref="AnchorRelative"/>).</param>
    public static OverlayMount? From(MountInfo info, Func<string, bool>? dirExists = null)
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
        dirExists ??= Directory.Exists;
        return new OverlayMount(info,
            lowers.Select(l => AnchorRelative(l, upper, dirExists)).ToArray(), upper, work,
            data.Select(d => AnchorRelative(d, upper, dirExists)).ToArray(), options.ToArray(), syntax);
    }

    /// <summary>
    /// mountinfo shows lowers exactly as given, and Docker's overlay2 driver gives relative ones:
    /// it changes into its overlay2 root and mounts "lowerdir=l/ABC:l/DEF" so deep images fit one
    /// page, with an absolute upperdir=&lt;root&gt;/&lt;id&gt;/diff. A relative lower is therefore
    /// anchored at the nearest ancestor of the upper dir under which it exists; without an upper,
    /// or when none matches, it stays as shown (it named a directory relative to the mounting
    /// process's working directory, which is not recorded anywhere).
    /// </summary>
    static string AnchorRelative(string layer, string? upper, Func<string, bool> dirExists)
    {
        if (layer.StartsWith('/') || upper is null)
            return layer;
        for (var dir = Path.GetDirectoryName(upper); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, layer);
            if (dirExists(candidate))
                return candidate;
        }
        return layer;
    }

    /// <summary>The same stack as a value the engine serves (for a drive over the same dirs).</summary>
    public LayerStack ToLayerStack() =>
        new(LowerDir, UpperDir, WorkDir, DataDir, UserXattr);

    public override string ToString() => MountPoint;
}
