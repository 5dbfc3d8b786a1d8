using OverlayPS.Core.Layers;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Differential;

/// <summary>The side under test: <see cref="OverlayFs"/> over the second copy of the layers.</summary>
public sealed class EngineUnion : IUnionUnderTest
{
    readonly OverlayFs _fs;

    public EngineUnion(LayerStack stack)
    {
        _fs = new OverlayFs(stack);
        View = new UnionView(_fs);
    }

    public ITreeView View { get; }

    public void Apply(Op op)
    {
        switch (op.Kind)
        {
            case OpKind.Write:
                using (var s = _fs.OpenWrite(op.Path, op.FileMode, op.Mode))
                {
                    if (op.Offset > 0 && op.FileMode is FileMode.Open or FileMode.OpenOrCreate)
                        s.Seek(op.Offset, SeekOrigin.Begin);
                    s.Write(op.Data);
                }
                break;
            case OpKind.Truncate: _fs.Truncate(op.Path, op.Offset); break;
            case OpKind.Mkdir: _fs.Mkdir(op.Path, op.Mode); break;
            case OpKind.Symlink: _fs.Symlink(op.Path2!, op.Path); break;
            case OpKind.MkFifo: _fs.MkFifo(op.Path, op.Mode); break;
            case OpKind.Link: _fs.Link(op.Path, op.Path2!); break;
            case OpKind.Unlink: _fs.Unlink(op.Path); break;
            case OpKind.Rmdir: _fs.Rmdir(op.Path); break;
            case OpKind.RemoveTree: _fs.RemoveTree(op.Path); break;
            case OpKind.Rename: _fs.Rename(op.Path, op.Path2!); break;
            case OpKind.Chmod: _fs.Chmod(op.Path, op.Mode); break;
            case OpKind.Chown: _fs.Chown(op.Path, op.Uid, op.Gid); break;
            case OpKind.SetTimes:
                {
                    var t = new PosixTime(op.TimeSec, op.TimeNsec);
                    _fs.SetTimes(op.Path, t, t);
                    break;
                }
            case OpKind.SetXattr: _fs.SetXattr(op.Path, op.Name!, op.Data); break;
            case OpKind.RemoveXattr: _fs.RemoveXattr(op.Path, op.Name!); break;
            default: throw new ArgumentException($"not a write: {op}");
        }
    }

    public FileKind? KindFollowingLinks(string path)
    {
        try { return _fs.Stat(_fs.ResolvePath(path)).Kind; }
        catch (PosixException) { return null; }
    }

    /// <summary>The engine leaves its upper dir as it is: nothing to unmount.</summary>
    public string? Finish() => _fs.Stack.Upper;

    public void Dispose() { }
}
