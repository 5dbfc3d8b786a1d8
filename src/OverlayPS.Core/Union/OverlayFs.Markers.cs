using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// The whiteouts and opaque marks in every layer copy of a directory that takes part in
    /// the merged view (topmost first), so a user can see why a name is gone. Read-only,
    /// streamed one layer directory at a time; one lstat per entry.
    /// </summary>
    public IEnumerable<UnionMarker> ReadMarkers(string path)
    {
        var dir = Resolve(path, followFinal: true, "opendir");
        if (!dir.IsDirectory)
            throw Error(Errno.ENOTDIR, path, "opendir");
        return ReadMarkers(dir);
    }

    IEnumerable<UnionMarker> ReadMarkers(UnionNode dir)
    {
        foreach (var h in dir.Dirs!)
        {
            var mark = LayerMarks.Mark(h.Dir, "", _opaqueXattr);
            if (mark is { Length: 1 } && mark[0] == (byte)'y')
                yield return new UnionMarker("", MarkerKind.Opaque, h.Layer.Ref, h.RealPath, h.Dir.StatSelf());
            bool xdir = mark is { Length: 1 } && mark[0] == (byte)'x';
            using var reader = h.Dir.Read();
            while (reader.Next(out var name, out var type))
            {
                string real = h.Dir.Describe(name);
                if (!h.Layer.IsUpper && LayerMarks.IsOciMarker(name))
                {
                    if (!reader.TryStatEntry(name, out var ost))
                        continue;
                    yield return name == LayerMarks.OciOpaque
                        ? new UnionMarker("", MarkerKind.OciOpaque, h.Layer.Ref, real, ost)
                        : new UnionMarker(name.Substring(LayerMarks.OciPrefix.Length), MarkerKind.OciWhiteout, h.Layer.Ref, real, ost);
                    continue;
                }
                // d_type spares the lstat of most entries: only char devices and regular
                // files can be marks.
                if (type is not (DirectoryReader.DtChr or DirectoryReader.DtReg or DirectoryReader.DtUnknown))
                    continue;
                if (type == DirectoryReader.DtReg && !xdir)
                    continue;
                if (!reader.TryStatEntry(name, out var st))
                    continue;
                if (st.IsCharDevice00)
                    yield return new UnionMarker(name, MarkerKind.Whiteout, h.Layer.Ref, real, st);
                else if (xdir && LayerMarks.IsXattrWhiteout(st, h.Dir, name, _whiteoutXattr))
                    yield return new UnionMarker(name, MarkerKind.XattrWhiteout, h.Layer.Ref, real, st);
            }
        }
    }
}
