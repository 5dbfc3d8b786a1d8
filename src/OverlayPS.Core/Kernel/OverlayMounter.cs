using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Kernel;

/// <summary>
/// Makes and removes kernel overlay mounts: validate, pick mount(2) or the new mount API,
/// and turn a refusal into an <see cref="OverlayMountException"/> that says what the kernel said.
/// </summary>
public static class OverlayMounter
{
    /// <summary>fsconfig copies string values with strndup_user(value, 256): longer layer paths
    /// are handed over as O_PATH descriptors instead (overlayfs accepts fds from Linux 6.13).</summary>
    const int MaxFsConfigString = 255;

    /// <summary>The strategy Auto resolves to for this request.</summary>
    public static MountStrategy ChooseStrategy(OverlayMountRequest request) =>
        request.Strategy != MountStrategy.Auto ? request.Strategy
        : request.FitsOnePage ? MountStrategy.MountSyscall
        : MountStrategy.NewMountApi;

    /// <summary>Validates and mounts; returns the mount as mountinfo now shows it.</summary>
    public static OverlayMount Mount(OverlayMountRequest request)
    {
        OverlayMountValidator.Validate(request);
        var strategy = ChooseStrategy(request);
        if (strategy == MountStrategy.MountSyscall)
            MountWithSyscall(request);
        else
            MountWithNewApi(request);
        return OverlayMountTable.At(request.MountPoint)
            ?? throw new InvalidOperationException($"The overlay was mounted on '{request.MountPoint}' but is not in {MountInfo.SelfPath}.");
    }

    static void MountWithSyscall(OverlayMountRequest request)
    {
        var before = KernelLog.LastOverlayLine();
        try
        {
            Posix.Mount.MountFs("overlay", request.MountPoint, "overlay",
                request.ReadOnly ? Posix.Mount.MS_RDONLY : 0, request.LegacyOptionString);
        }
        catch (PosixException e)
        {
            string? hint = request.FitsOnePage ? null
                : $"The option string is {System.Text.Encoding.UTF8.GetByteCount(request.LegacyOptionString)} bytes, more than mount(2) takes in one page.";
            throw new OverlayMountException(e.Errno, request.MountPoint, MountStrategy.MountSyscall,
                KernelLog.NewOverlayMessage(before), hint);
        }
    }

    static void MountWithNewApi(OverlayMountRequest request)
    {
        Posix.Mount.FsContext ctx;
        try { ctx = Posix.Mount.FsOpen("overlay"); }
        catch (PosixException e)
        {
            throw new OverlayMountException(e.Errno, request.MountPoint, MountStrategy.NewMountApi, null,
                "This kernel or C library has no new mount API (fsopen, Linux 5.2+), which a stack too long for one mount(2) page needs; shorten the layer paths (for example relative links, as Docker does).");
        }
        using (ctx)
        {
            string? step = null;
            try
            {
                step = "source";
                ctx.SetString("source", "overlay");
                // Layers one by one, topmost first: lowerdir+ and datadir+ take a raw path each
                // (no escaping: ovl_mount_dir_noesc); upperdir/workdir are still unescaped.
                foreach (var l in request.Stack.Lowers)
                    SetLayer(ctx, "lowerdir+", l, l, ref step);
                foreach (var d in request.Stack.DataLowers)
                    SetLayer(ctx, "datadir+", d, d, ref step);
                if (request.Stack.Upper is not null)
                {
                    SetLayer(ctx, "upperdir", OverlayOptionEscaping.Escape(request.Stack.Upper), request.Stack.Upper, ref step);
                    SetLayer(ctx, "workdir", OverlayOptionEscaping.Escape(request.Stack.Work!), request.Stack.Work!, ref step);
                }
                foreach (var (k, v) in request.PlainOptions)
                {
                    step = k;
                    if (v is null) ctx.SetFlag(k);
                    else ctx.SetString(k, v);
                }
                if (request.ReadOnly)
                {
                    step = "ro";
                    ctx.SetFlag("ro");
                }
                step = "create";
                ctx.Create();
                step = "mount";
                ctx.MountAt(request.MountPoint, request.ReadOnly ? Posix.Mount.MOUNT_ATTR_RDONLY : 0);
            }
            catch (PosixException e)
            {
                var log = ctx.ReadLog();
                string? message = log.Count > 0 ? string.Join(" | ", log.Select(TrimLogPrefix)) : null;
                string? hint = null;
                if (e.Errno == Errno.EINVAL && step is "lowerdir+" or "datadir+"
                    && (message is null || message.Contains("Unknown parameter", StringComparison.Ordinal)))
                    hint = $"This kernel ({Environment.OSVersion.Version}) does not take '{step}' (Linux 6.8+); the stack's options are too long for mount(2)'s one page. Shorten the layer paths, for example relative links as Docker does.";
                else if (step is not null && step.EndsWith(" (fd)", StringComparison.Ordinal) && e.Errno == Errno.EINVAL)
                    hint = $"Layer paths over {MaxFsConfigString} bytes are passed as file descriptors, which overlayfs takes from Linux 6.13.";
                throw new OverlayMountException(e.Errno, request.MountPoint, MountStrategy.NewMountApi, message, hint);
            }
        }
    }

    static void SetLayer(Posix.Mount.FsContext ctx, string key, string value, string dir, ref string? step)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(value) <= MaxFsConfigString)
        {
            step = key;
            ctx.SetString(key, value);
            return;
        }
        step = key + " (fd)";
        using var fd = Posix.Mount.OpenPath(dir);
        ctx.SetFd(key, fd);
    }

    /// <summary>"e overlayfs: msg" -> "overlayfs: msg" (the fs_context log's level prefix).</summary>
    static string TrimLogPrefix(string line) =>
        line.Length > 2 && line[1] == ' ' && line[0] is 'e' or 'w' or 'i' ? line[2..] : line;

    /// <summary>
    /// Unmounts the overlay at path; <paramref name="detach"/> detaches lazily (MNT_DETACH) when
    /// it is busy. A path that is not an overlay's mount point is refused, so a typo never
    /// unmounts something else.
    /// </summary>
    /// <summary>Unmounts the overlay whose mount point is path (see <see cref="MountPointAt"/>);
    /// returns it as it was.</summary>
    public static OverlayMount Dismount(string path, bool detach)
    {
        var mount = MountPointAt(path);
        var real = mount.MountPoint;
        try { Posix.Mount.Unmount(real, detach); }
        catch (PosixException e) when (e.Errno == Errno.EBUSY && !detach)
        {
            throw new PosixException(e.Errno, real,
                $"The overlay on '{real}' is busy (open files or a process's current directory). Use -Force to detach it lazily.", e);
        }
        return mount;
    }

    /// <summary>The overlay mounted exactly on path; refuses (NotAnOverlayMount) a path that
    /// is not an overlay's mount point, so a typo never names another mount.</summary>
    public static OverlayMount MountPointAt(string path)
    {
        string real;
        try { real = RealPath.Resolve(path); }
        catch (PosixException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            throw new OverlayMountRequestException(OverlayMountProblem.NotAnOverlayMount, path,
                $"'{path}' does not exist, so it is not an overlay mount.");
        }
        var mount = OverlayMountTable.At(real);
        if (mount is null)
        {
            var holder = OverlayMountTable.Holding(real);
            var why = holder is not null ? $" It is inside the overlay mounted on '{holder.MountPoint}'." : "";
            throw new OverlayMountRequestException(OverlayMountProblem.NotAnOverlayMount, path,
                $"'{path}' is not the mount point of an overlay.{why}");
        }
        return mount;
    }
}
