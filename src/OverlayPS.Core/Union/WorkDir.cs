using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// Where copy-ups and replacements are built before one rename puts them in place: the
/// <c>work</c> directory inside the stack's work dir, the same place the kernel uses (and
/// empties when it mounts). Temporary names carry the process id, "#ovlps.&lt;pid&gt;.&lt;n&gt;",
/// so that opening a stack cleans only what dead processes left behind, never the half-built
/// copy-up of a process still running. Both directories are reached through descriptors: the
/// stack's work dir held from open, <c>work</c> opened below it without following a link.
/// </summary>
internal sealed class WorkDir : IDisposable
{
    const string Prefix = "#ovlps.";
    const string Name = "work";
    static long _counter;
    static readonly int Pid = Environment.ProcessId;
    readonly DirHandle _stackWork;
    DirHandle? _dir;

    public WorkDir(DirHandle stackWorkDir) => _stackWork = stackWorkDir;

    /// <summary>The held <c>work</c> directory, made (as the kernel does) when missing.</summary>
    public DirHandle Dir
    {
        get
        {
            var d = Volatile.Read(ref _dir);
            if (d is not null)
                return d;
            if (!_stackWork.TryStat(Name, out var st))
            {
                // The kernel makes it mode 0 (only its mounter creds enter); we may not be root.
                try { _stackWork.Mkdir(Name, Files.IsRoot ? 0u : 0x1C0u); }
                catch (PosixException e) when (e.Errno == Errno.EEXIST) { }
                st = _stackWork.Stat(Name);
            }
            MakeEnterable(st);
            d = _stackWork.OpenDir(Name);
            return Interlocked.CompareExchange(ref _dir, d, null) ?? d;
        }
    }

    /// <summary>A fresh name in the work dir (nothing is created).</summary>
    public string NewTempName() => $"{Prefix}{Pid}.{Interlocked.Increment(ref _counter)}";

    /// <summary>Removes the leftovers of processes that died mid-operation.</summary>
    public int CleanLeftovers()
    {
        if (!_stackWork.TryStat(Name, out var st) || !st.IsDirectory)
            return 0;
        var dir = Dir;
        var dead = new List<string>();
        using (var r = dir.Read())
        {
            while (r.Next(out var name, out _))
            {
                if (OwnerPid(name) is int pid && !IsAlive(pid))
                    dead.Add(name);
            }
        }
        int removed = 0;
        foreach (var name in dead)
        {
            // Best effort, as the kernel's own work dir cleanup: a leftover someone is
            // changing meanwhile stays for the next open rather than fail this one.
            try { RemoveTree(dir, name); removed++; }
            catch (PosixException) { }
        }
        return removed;
    }

    /// <summary>
    /// A kernel mount leaves work/work mode 0, owned by its mounter: the kernel enters it with
    /// the mounter's creds (root, or root in a rootless mount's user namespace), the same user
    /// without CAP_DAC_OVERRIDE does not. When we own it and may not enter it, give the owner
    /// rwx back: nothing is lost, as the kernel empties and re-creates work/work at its next
    /// mount (ovl_workdir_create). With DAC override nothing is changed.
    /// </summary>
    void MakeEnterable(in FileStat st)
    {
        if (!st.IsDirectory || st.Uid != Files.CurrentUid || (st.Mode & 0x1C0u) == 0x1C0u
            || _stackWork.AccessError(Name, read: true, write: true, search: true) is null)
            return;
        _stackWork.Chmod(Name, st.Mode | 0x1C0u);
    }

    static int? OwnerPid(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var rest = name.AsSpan(Prefix.Length);
        int dot = rest.IndexOf('.');
        return dot > 0 && int.TryParse(rest[..dot], out var pid) ? pid : null;
    }

    static bool IsAlive(int pid) => pid == Pid || Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// rm -rf of an entry the engine owns (a work dir entry, or a whiteout-only directory it
    /// swapped out), through descriptors: a directory is opened O_NOFOLLOW and emptied
    /// through that descriptor, so a directory inside it swapped for a symlink meanwhile is
    /// unlinked as a link (ELOOP on open), never followed; no path is ever walked, so depth is
    /// not limited by PATH_MAX either.
    /// </summary>
    public static void RemoveTree(DirHandle parent, string name)
    {
        if (!parent.TryStat(name, out var st))
            return;
        if (st.IsDirectory && parent.TryOpenDir(name, out var dir, out var errno))
        {
            using (dir)
            {
                var names = new List<string>();
                using (var r = dir.Read())
                {
                    while (r.Next(out var n, out _))
                        names.Add(n);
                }
                foreach (var n in names)
                    RemoveTree(dir, n);
            }
            parent.Rmdir(name);
            return;
        }
        try { parent.Unlink(name); }
        catch (PosixException e) when (e.Errno is Errno.EISDIR)
        {
            // A directory we could not open (and so not empty): only an empty one goes.
            parent.Rmdir(name);
        }
    }

    public void Dispose()
    {
        _dir?.Dispose();
        _stackWork.Dispose();
    }
}
