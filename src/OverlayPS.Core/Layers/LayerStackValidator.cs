using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Layers;

/// <summary>
/// Checks a stack the way the kernel's ovl_fill_super would, but before anything is touched
/// and with a message that names the directory. Used by drives and by kernel mounts alike.
/// </summary>
public static class LayerStackValidator
{
    /// <param name="requireEmptyWork">Kernel mounts want an empty (or overlay-owned) work dir;
    /// the engine reuses its own work dir and only cleans leftovers.</param>
    public static void Validate(LayerStack stack, bool requireEmptyWork = false)
    {
        if (stack.Lowers.Count == 0)
            throw new LayerStackException(LayerStackProblem.NoLowers, null,
                "An overlay needs at least one lower directory.");
        if (stack.Lowers.Count + stack.DataLowers.Count > LayerStack.MaxLowers)
            throw new LayerStackException(LayerStackProblem.TooManyLayers, null,
                $"An overlay takes at most {LayerStack.MaxLowers} lower directories; {stack.Lowers.Count + stack.DataLowers.Count} were given.");
        if (stack.Upper is not null && stack.Work is null)
            throw new LayerStackException(LayerStackProblem.UpperWithoutWork, stack.Upper,
                $"The upper directory '{stack.Upper}' needs a work directory (-WorkDir) on the same filesystem.");
        if (stack.Upper is null && stack.Work is not null)
            throw new LayerStackException(LayerStackProblem.WorkWithoutUpper, stack.Work,
                $"A work directory ('{stack.Work}') is only used with an upper directory (-UpperDir).");

        var all = stack.Lowers.Concat(stack.DataLowers).ToList();
        if (stack.Upper is not null) all.Add(stack.Upper);
        if (stack.Work is not null) all.Add(stack.Work);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in all)
        {
            if (!seen.Add(dir))
                throw new LayerStackException(LayerStackProblem.UsedTwice, dir,
                    $"The directory '{dir}' is used twice in one overlay.");
        }
        foreach (var dir in all)
            RequireReadableDirectory(dir);

        if (stack.Upper is not null && stack.Work is not null)
        {
            if (Files.Stat(stack.Upper).Device != Files.Stat(stack.Work).Device)
                throw new LayerStackException(LayerStackProblem.WorkOnOtherFilesystem, stack.Work,
                    $"The work directory '{stack.Work}' is not on the same filesystem as the upper directory '{stack.Upper}'.");
            // The kernel refuses upper and work inside each other (ovl_workdir_ok).
            if (IsInside(stack.Work, stack.Upper) || IsInside(stack.Upper, stack.Work))
                throw new LayerStackException(LayerStackProblem.Nested, stack.Work,
                    $"The work directory '{stack.Work}' and the upper directory '{stack.Upper}' must not be inside one another.");
            if (requireEmptyWork && System.IO.Directory.EnumerateFileSystemEntries(stack.Work).Any())
                throw new LayerStackException(LayerStackProblem.WorkNotEmpty, stack.Work,
                    $"The work directory '{stack.Work}' is not empty.");
        }
    }

    /// <summary>True when <paramref name="inner"/> is <paramref name="outer"/> or below it.</summary>
    public static bool IsInside(string inner, string outer) =>
        inner == outer || inner.StartsWith(outer == "/" ? "/" : outer + "/", StringComparison.Ordinal);

    static void RequireReadableDirectory(string dir)
    {
        if (!Files.TryLStat(dir, out _) && !System.IO.Directory.Exists(dir))
            throw new LayerStackException(LayerStackProblem.Missing, dir,
                $"The directory '{dir}' does not exist.");
        FileStat st;
        try { st = Files.Stat(dir); }
        catch (PosixException e)
        {
            throw new LayerStackException(LayerStackProblem.Unreadable, dir,
                $"The directory '{dir}' cannot be read: {PosixException.StrError(e.Errno)}.");
        }
        if (!st.IsDirectory)
            throw new LayerStackException(LayerStackProblem.NotADirectory, dir,
                $"'{dir}' is not a directory.");
        var denied = Files.AccessError(dir, read: true, search: true);
        if (denied is not null)
            throw new LayerStackException(LayerStackProblem.Unreadable, dir,
                $"The directory '{dir}' cannot be read: {PosixException.StrError(denied.Value)}.");
    }
}
