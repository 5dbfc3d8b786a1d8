namespace OverlayPS.Core.Layers;

/// <summary>
/// One overlay: an optional upper (with its work dir) over lowers listed topmost first, the
/// order of the kernel's <c>lowerdir=</c>. The same value describes a kernel mount and a stack
/// the engine serves, so a mount can be reopened as a drive and the other way round.
/// </summary>
public sealed record LayerStack
{
    /// <summary>The kernel's limit on lower layers (OVL_MAX_STACK).</summary>
    public const int MaxLowers = 500;

    public TopmostFirst<string> Lowers { get; }
    public string? Upper { get; }
    public string? Work { get; }

    /// <summary>Data-only lowers (after <c>::</c>): reachable only through metacopy redirects.</summary>
    public TopmostFirst<string> DataLowers { get; }

    /// <summary>"trusted." normally, "user." for the userxattr mode (unprivileged mounts).</summary>
    public string XattrPrefix { get; }

    public bool IsReadOnly => Upper is null;

    /// <summary>All layers that serve lookups, topmost first: upper (if any), then lowers.</summary>
    public TopmostFirst<string> LookupLayers =>
        Upper is null ? Lowers : new(Lowers.Prepend(Upper));

    public LayerStack(IEnumerable<string> lowersTopmostFirst, string? upper = null, string? work = null,
        IEnumerable<string>? dataLowers = null, bool userXattr = false)
    {
        Lowers = new(lowersTopmostFirst.Select(Normalize));
        Upper = upper is null ? null : Normalize(upper);
        Work = work is null ? null : Normalize(work);
        DataLowers = new((dataLowers ?? Array.Empty<string>()).Select(Normalize));
        XattrPrefix = userXattr ? "user." : "trusted.";
    }

    /// <summary>The default xattr mode: trusted.* as root, user.* otherwise (as the kernel requires).</summary>
    public static bool DefaultUserXattr => !Posix.Files.IsRoot;

    public string OpaqueXattr => XattrPrefix + "overlay.opaque";
    public string WhiteoutXattr => XattrPrefix + "overlay.whiteout";

    static string Normalize(string dir)
    {
        if (string.IsNullOrWhiteSpace(dir))
            throw new ArgumentException("A layer directory cannot be empty.");
        var full = System.IO.Path.GetFullPath(dir);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }
}
