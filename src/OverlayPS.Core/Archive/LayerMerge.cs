using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>
/// Moves a fully staged layer into an upper dir, as the new layer's changes over the merged
/// view: a directory over a directory merges (its children moved in, its mode, owner and mtime
/// taken); anything else replaces what the upper held (removed, then the staged object renamed
/// in, so hard links between staged files stay links); a staged directory that replaces a
/// file, a whiteout or an opaque directory is marked opaque, so what the lowers hold there
/// stays hidden, as the kernel marks a directory made over a whiteout (ovl_create_over_whiteout).
/// Every refusal happened while staging: here only renames and removals within one filesystem.
/// </summary>
internal static class LayerMerge
{
    public static void Into(DirHandle stage, DirHandle upper, string xattrPrefix)
    {
        var opaqueXattr = xattrPrefix + "overlay.opaque";
        var names = new List<string>();
        using (var r = stage.Read())
        {
            while (r.Next(out var n, out _))
                names.Add(n);
        }
        foreach (var name in names)
        {
            if (!stage.TryStat(name, out var st))
                continue;
            bool stagedOpaque = st.IsDirectory && Union.LayerMarks.IsOpaque(stage, name, opaqueXattr);
            bool upperHas = upper.TryStat(name, out var ust);
            if (st.IsDirectory && !stagedOpaque && upperHas && ust.IsDirectory)
            {
                using (var s = stage.OpenDir(name))
                using (var u = upper.OpenDir(name))
                    Into(s, u, xattrPrefix);
                if (Files.IsRoot)
                    upper.Chown(name, st.Uid, st.Gid);
                upper.Chmod(name, st.Mode);
                LayerFiles.SetMTime(upper, name, LayerFiles.Seconds(st));
                continue;
            }
            if (upperHas)
                Union.WorkDir.RemoveTree(upper, name);
            DirHandle.Rename(stage, name, upper, name, DirHandle.RenameNoReplace);
            if (st.IsDirectory && !stagedOpaque && upperHas)
                upper.SetXattr(name, opaqueXattr, "y");
            else if (Union.LayerMarks.IsXattrWhiteout(st, upper, name, xattrPrefix + "overlay.whiteout")
                     && upper.GetXattr("", opaqueXattr) is null)
                upper.SetXattr("", opaqueXattr, "x");   // an xattr whiteout counts only in a dir marked so
        }
    }
}
