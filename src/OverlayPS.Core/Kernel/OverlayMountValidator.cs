using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Kernel;

/// <summary>
/// Everything the kernel would refuse (or silently get wrong) about a mount request, caught
/// first with a message naming the directory. The stack itself goes through the same
/// <see cref="LayerStackValidator"/> a drive uses.
/// </summary>
public static class OverlayMountValidator
{
    /// <summary>Names overlayfs gives its own dirs inside workdir (ovl_workdir_create,
    /// ovl_get_indexdir): left by an earlier mount of the same stack, and reused by the kernel.</summary>
    static readonly string[] KernelWorkEntries = { "work", "index" };

    static readonly string[] LayerKeys = { "lowerdir", "lowerdir+", "datadir+", "upperdir", "workdir" };

    public static void Validate(OverlayMountRequest request)
    {
        RequirePrivilege(request);

        var mp = request.MountPoint;
        if (!Files.TryLStat(mp, out _) || !Directory.Exists(mp))
            throw new OverlayMountRequestException(OverlayMountProblem.MountPointMissing, mp,
                $"The mount point '{mp}' does not exist or is not a directory.");

        foreach (var (key, _) in request.PlainOptions)
        {
            if (LayerKeys.Contains(key))
                throw new OverlayMountRequestException(OverlayMountProblem.LayerInOption, key,
                    $"The option '{key}' names a layer: use -LowerDir, -UpperDir, -WorkDir or -DataDir, which escape paths correctly.");
        }

        var stack = request.Stack;
        LayerStackValidator.Validate(stack, requireEmptyWork: false);

        // ovl_get_lowerstack: "at least 2 lowerdir are needed while upperdir nonexistent".
        if (stack.Upper is null && stack.Lowers.Count + stack.DataLowers.Count < 2)
            throw new OverlayMountRequestException(OverlayMountProblem.ReadOnlyNeedsTwoLowers, stack.Lowers[0],
                $"A read-only overlay (no -UpperDir) needs at least two lower directories; only '{stack.Lowers[0]}' was given. Add a lower, or give -UpperDir and -WorkDir.");

        RequireNoOverlap(stack);

        if (stack.Work is not null)
        {
            var foreign = Directory.EnumerateFileSystemEntries(stack.Work)
                .FirstOrDefault(e => !(KernelWorkEntries.Contains(Path.GetFileName(e)) && Directory.Exists(e)));
            if (foreign is not null)
                throw new LayerStackException(LayerStackProblem.WorkNotEmpty, stack.Work,
                    $"The work directory '{stack.Work}' is not empty (it holds '{Path.GetFileName(foreign)}'); overlayfs needs an empty one on the upper's filesystem.");
        }
    }

    /// <summary>
    /// ovl_check_overlapping_layers refuses a lower inside another layer ("overlapping lowerdir
    /// path", ELOOP) but lets an upper inside a lower through, which the documentation calls
    /// undefined behaviour (changes to the lower under a live mount); refuse both. The Overlay
    /// provider applies the same rule to a drive (an upper inside a lower shows its files twice).
    /// </summary>
    public static void RequireNoOverlap(LayerStack stack)
    {
        var lowers = stack.Lowers.Concat(stack.DataLowers).ToList();
        if (stack.Upper is not null)
        {
            foreach (var l in lowers)
            {
                if (LayerStackValidator.IsInside(stack.Upper, l))
                    throw new LayerStackException(LayerStackProblem.Nested, stack.Upper,
                        $"The upper directory '{stack.Upper}' is inside the lower directory '{l}'.");
                if (LayerStackValidator.IsInside(l, stack.Upper))
                    throw new LayerStackException(LayerStackProblem.Nested, l,
                        $"The lower directory '{l}' is inside the upper directory '{stack.Upper}'.");
                if (stack.Work is not null && (LayerStackValidator.IsInside(l, stack.Work) || LayerStackValidator.IsInside(stack.Work, l)))
                    throw new LayerStackException(LayerStackProblem.Nested, stack.Work,
                        $"The work directory '{stack.Work}' and the lower directory '{l}' must not be inside one another.");
            }
        }
        for (int i = 0; i < lowers.Count; i++)
            for (int j = 0; j < lowers.Count; j++)
                if (i != j && LayerStackValidator.IsInside(lowers[i], lowers[j]))
                    throw new LayerStackException(LayerStackProblem.Nested, lowers[i],
                        $"The lower directory '{lowers[i]}' is inside the lower directory '{lowers[j]}'.");
    }

    /// <summary>
    /// Mounting needs CAP_SYS_ADMIN. In a user namespace (unshare -Urm) root has it over the
    /// namespace's mounts, but trusted.* xattrs are off limits there, so overlayfs needs
    /// userxattr (Documentation/filesystems/overlayfs.rst, "Permission model").
    /// </summary>
    static void RequirePrivilege(OverlayMountRequest request)
    {
        if (!Files.IsRoot)
            throw new OverlayMountRequestException(OverlayMountProblem.NotPrivileged, request.MountPoint,
                "Mounting an overlay needs root, or root in a user namespace (for example 'unshare -Urm pwsh') together with -UserXattr.");
        if (UserNamespace.IsNested && !request.UserXattr)
            throw new OverlayMountRequestException(OverlayMountProblem.UserNamespaceNeedsUserXattr, request.MountPoint,
                "This process runs in a user namespace, where overlayfs cannot use trusted.* xattrs: add -UserXattr (user.overlay.* xattrs).");
    }
}
