using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Kernel;

/// <summary>Why a mount or dismount request was refused before the kernel saw it.</summary>
public enum OverlayMountProblem
{
    MountPointMissing,
    ReadOnlyNeedsTwoLowers,
    NotPrivileged,
    UserNamespaceNeedsUserXattr,
    LayerInOption,
    NotAnOverlayMount,
}

/// <summary>A request refused at the door, naming the path at fault.</summary>
public sealed class OverlayMountRequestException : ArgumentException
{
    public OverlayMountProblem Problem { get; }
    public string? Target { get; }

    public OverlayMountRequestException(OverlayMountProblem problem, string? target, string message)
        : base(message)
    {
        Problem = problem;
        Target = target;
    }
}

/// <summary>
/// The kernel refused a mount the checks let through: the errno, and what overlayfs said about
/// it (the last "overlayfs:" line of the kernel log for mount(2), the fs_context log for the new
/// mount API), when it could be read.
/// </summary>
public sealed class OverlayMountException : PosixException
{
    public string? KernelMessage { get; }
    public MountStrategy Strategy { get; }

    public OverlayMountException(Errno errno, string mountPoint, MountStrategy strategy, string? kernelMessage, string? hint = null)
        : base(errno, mountPoint, Describe(errno, mountPoint, strategy, kernelMessage, hint), null)
    {
        KernelMessage = kernelMessage;
        Strategy = strategy;
    }

    static string Describe(Errno errno, string mountPoint, MountStrategy strategy, string? kernelMessage, string? hint)
    {
        var how = strategy == MountStrategy.NewMountApi ? "the new mount API" : "mount(2)";
        var text = $"The kernel refused the overlay mount on '{mountPoint}' ({how}): {StrError(errno)} ({errno}).";
        text += kernelMessage is null
            ? " overlayfs left no message about it that could be read (reading the kernel log needs CAP_SYSLOG)."
            : $" Kernel: {kernelMessage}";
        if (hint is not null)
            text += " " + hint;
        return text;
    }
}
