namespace OverlayPS.Tests.Differential;

public enum OpKind
{
    // reads: their results are compared too, so they check the view between writes
    Stat,
    ReadDir,
    Read,
    ReadLink,
    ListXattrs,
    /// <summary>Every link on the way followed, the final one too (realpath(3) / ResolvePath).</summary>
    Resolve,
    // writes: every write call of IUnionFileSystem
    Write,
    Truncate,
    Mkdir,
    Symlink,
    MkFifo,
    Link,
    Unlink,
    Rmdir,
    RemoveTree,
    Rename,
    Chmod,
    Chown,
    SetTimes,
    SetXattr,
    RemoveXattr,
}

/// <summary>
/// One operation on union paths. Write maps a <see cref="FileMode"/> to the open(2) flags the
/// kernel side uses (see <see cref="KernelUnion"/>), writes <see cref="Data"/> at
/// <see cref="Offset"/> (Open/OpenOrCreate only) and closes.
/// </summary>
public sealed record Op(OpKind Kind, string Path)
{
    public string? Path2 { get; init; }
    public FileMode FileMode { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public long Offset { get; init; }
    public byte[] Data { get; init; } = Array.Empty<byte>();
    public string? Name { get; init; }
    public long TimeSec { get; init; }
    public long TimeNsec { get; init; }

    public bool IsWrite => Kind >= OpKind.Write;

    public override string ToString() => Kind switch
    {
        OpKind.Write => $"write {Path} {FileMode} create-mode={Oct(Mode)} {Data.Length}B at {Offset}",
        OpKind.Truncate => $"truncate {Path} {Offset}",
        OpKind.Mkdir => $"mkdir {Path} {Oct(Mode)}",
        OpKind.Symlink => $"symlink {Path} -> {Path2}",
        OpKind.MkFifo => $"mkfifo {Path} {Oct(Mode)}",
        OpKind.Link => $"link {Path} as {Path2}",
        OpKind.Rename => $"rename {Path} to {Path2}",
        OpKind.Chmod => $"chmod {Path} {Oct(Mode)}",
        OpKind.Chown => $"chown {Path} {Uid}:{Gid}",
        OpKind.SetTimes => $"settimes {Path} {TimeSec}.{TimeNsec:D9}",
        OpKind.SetXattr => $"setxattr {Path} {Name}=0x{Convert.ToHexString(Data)}",
        OpKind.RemoveXattr => $"removexattr {Path} {Name}",
        _ => $"{Kind.ToString().ToLowerInvariant()} {Path}",
    };

    static string Oct(uint m) => "0" + Convert.ToString(m, 8);
}
