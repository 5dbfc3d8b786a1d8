using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Differential;

/// <summary>
/// One side of a differential run: the kernel overlay mount (the oracle) or the engine over
/// an identical copy of the layers. Results are "ok", "ok <what was read>" or an errno name.
/// </summary>
public interface IUnionUnderTest : IDisposable
{
    /// <summary>The merged view, to read through.</summary>
    ITreeView View { get; }

    /// <summary>Runs one write op through this side.</summary>
    void Apply(Op op);

    /// <summary>What path is once every symlink on the way is followed, or null when it
    /// cannot be resolved. Only used to keep ops from opening fifos.</summary>
    FileKind? KindFollowingLinks(string path);

    /// <summary>Ends the run (the kernel side unmounts) and returns the upper dir as left on
    /// disk, or null for a read-only stack.</summary>
    string? Finish();
}

/// <summary>Runs an op against a side and turns the outcome into a comparable string.</summary>
public static class OpExecution
{
    public static string Run(IUnionUnderTest side, Op op)
    {
        try
        {
            return op.Kind switch
            {
                OpKind.Stat => "ok " + EntryDescription.Metadata(side.View.LStat(op.Path), upperDir: false),
                OpKind.ReadDir => "ok [" + string.Join(" ", side.View.ListNames(op.Path).OrderBy(n => n, StringComparer.Ordinal)) + "]",
                OpKind.Read => "ok " + EntryDescription.Hash(side.View.ReadAll(op.Path)),
                OpKind.ReadLink => "ok " + side.View.ReadLink(op.Path),
                OpKind.ListXattrs => "ok [" + EntryDescription.Xattrs(side.View.Xattrs(op.Path)) + "]",
                OpKind.Resolve => "ok " + side.View.Resolve(op.Path),
                _ => Write(side, op),
            };
        }
        catch (PosixException e)
        {
            return e.Errno.ToString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything but a PosixException breaks the engine's contract: show it whole.
            return $"threw {e.GetType().Name}: {e.Message}";
        }
    }

    static string Write(IUnionUnderTest side, Op op)
    {
        side.Apply(op);
        return "ok";
    }
}
