using OverlayPS.Core.Layers;

namespace OverlayPS.Core.Kernel;

/// <summary>How the stack is handed to the kernel.</summary>
public enum MountStrategy
{
    /// <summary>mount(2) when the option string fits one page, else the new mount API.</summary>
    Auto,
    /// <summary>mount(2) with a "lowerdir=...,upperdir=...,workdir=..." string.</summary>
    MountSyscall,
    /// <summary>fsopen/fsconfig (lowerdir+, datadir+, upperdir, workdir)/fsmount/move_mount.</summary>
    NewMountApi,
}

/// <summary>One kernel overlay mount to make: the stack, where, and the overlay options.</summary>
public sealed record OverlayMountRequest(string MountPoint, LayerStack Stack)
{
    /// <summary>Mount read-only even when an upper is given (MS_RDONLY / MOUNT_ATTR_RDONLY).</summary>
    public bool ReadOnly { get; init; }
    /// <summary>redirect_dir=on|follow|nofollow|off, or null for the kernel's default.</summary>
    public string? RedirectDir { get; init; }
    /// <summary>metacopy=on|off, or null for the kernel's default.</summary>
    public bool? Metacopy { get; init; }
    /// <summary>index=on|off, or null for the kernel's default.</summary>
    public bool? Index { get; init; }
    /// <summary>volatile: no syncs to the upper (fast, and discarded after a crash).</summary>
    public bool Volatile { get; init; }
    /// <summary>Further options, "key" or "key=value", passed through unchanged.</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = Array.Empty<string>();
    public MountStrategy Strategy { get; init; } = MountStrategy.Auto;

    public bool UserXattr => Stack.XattrPrefix == "user.";

    /// <summary>The options other than the layers, in the order they are given to the kernel.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> PlainOptions
    {
        get
        {
            var o = new List<KeyValuePair<string, string?>>();
            if (UserXattr) o.Add(new("userxattr", null));
            if (RedirectDir is not null) o.Add(new("redirect_dir", RedirectDir));
            if (Metacopy is bool m) o.Add(new("metacopy", m ? "on" : "off"));
            if (Index is bool i) o.Add(new("index", i ? "on" : "off"));
            if (Volatile) o.Add(new("volatile", null));
            foreach (var extra in ExtraOptions)
            {
                int eq = extra.IndexOf('=');
                o.Add(eq < 0 ? new(extra, null) : new(extra[..eq], extra[(eq + 1)..]));
            }
            return o;
        }
    }

    /// <summary>
    /// The mount(2) data string. Lowers are escaped and joined with ':'; data-only layers follow
    /// after "::" (each separated by "::", as Documentation/filesystems/overlayfs.rst shows).
    /// </summary>
    public string LegacyOptionString
    {
        get
        {
            var parts = new List<string>();
            var lower = string.Join(':', Stack.Lowers.Select(OverlayOptionEscaping.Escape));
            foreach (var d in Stack.DataLowers)
                lower += "::" + OverlayOptionEscaping.Escape(d);
            parts.Add("lowerdir=" + lower);
            if (Stack.Upper is not null)
            {
                parts.Add("upperdir=" + OverlayOptionEscaping.Escape(Stack.Upper));
                parts.Add("workdir=" + OverlayOptionEscaping.Escape(Stack.Work!));
            }
            foreach (var (k, v) in PlainOptions)
                parts.Add(v is null ? k : $"{k}={v}");
            return string.Join(',', parts);
        }
    }

    /// <summary>
    /// mount(2) copies at most one page of data (copy_mount_options), NUL included; a longer
    /// string would be cut, so such stacks go through the new mount API instead.
    /// </summary>
    public bool FitsOnePage =>
        System.Text.Encoding.UTF8.GetByteCount(LegacyOptionString) + 1 <= Environment.SystemPageSize;
}
