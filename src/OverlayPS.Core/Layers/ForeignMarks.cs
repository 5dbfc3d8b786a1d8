using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Layers;

/// <summary>
/// Overlay marks written for the other xattr namespace. An overlay mounted with userxattr
/// (rootless podman, unprivileged mounts) writes user.overlay.opaque/whiteout/redirect; one
/// without it reads only trusted.overlay.*. Root opening such layers without -UserXattr sees
/// every opaque directory merged and every xattr whiteout as a plain empty file: content the
/// layers hide shows, silently. The kernel would do the same (it has no way to know), so this is
/// a hint for the user, not a rule: a bounded look at each layer's top entries.
/// </summary>
public static class ForeignMarks
{
    /// <summary>Entries looked at per layer: the root and its children, enough to catch a
    /// userxattr stack (its marks sit on the directories it changed) at the cost of one
    /// listxattr each.</summary>
    public const int EntriesPerLayer = 256;

    /// <summary>A layer dir and entry carrying marks of the namespace the stack does not read,
    /// or null when none were seen.</summary>
    public static string? Find(LayerStack stack)
    {
        var foreign = stack.XattrPrefix == "user." ? "trusted.overlay." : "user.overlay.";
        foreach (var dir in stack.Lowers.Prepend(stack.Upper).OfType<string>())
        {
            try
            {
                using var root = DirHandle.OpenRoot(dir);
                if (Carries(root, "", foreign))
                    return dir;
                int seen = 0;
                using var reader = root.Read();
                while (seen++ < EntriesPerLayer && reader.Next(out var name, out _))
                    if (Carries(root, name, foreign))
                        return root.Describe(name);
            }
            // A layer that cannot be read here is reported by the open that follows, not by a hint.
            catch (PosixException) { }
        }
        return null;
    }

    static bool Carries(DirHandle dir, string entry, string foreignPrefix)
    {
        try { return dir.ListXattrs(entry).Any(n => n.StartsWith(foreignPrefix, StringComparison.Ordinal)); }
        catch (PosixException) { return false; }
    }
}
