using Mono.Unix.Native;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

/// <summary>
/// Where copy-ups and replacements are built before one rename puts them in place: the
/// <c>work</c> directory inside the stack's work dir, the same place the kernel uses (and
/// empties when it mounts). Temporary names carry the process id, "#ovlps.&lt;pid&gt;.&lt;n&gt;",
/// so that opening a stack cleans only what dead processes left behind, never the half-built
/// copy-up of a process still running.
/// </summary>
internal sealed class WorkDir
{
    const string Prefix = "#ovlps.";
    static long _counter;
    static readonly int Pid = Environment.ProcessId;

    public WorkDir(string stackWorkDir)
    {
        Path = stackWorkDir + "/work";
    }

    public string Path { get; }

    /// <summary>A fresh name in the work dir (nothing is created).</summary>
    public string NewTempPath()
    {
        if (!Files.TryLStat(Path, out var st))
        {
            // The kernel makes it mode 0 (only its mounter creds enter); we may not be root.
            try { Files.Mkdir(Path, Files.IsRoot ? 0u : 0x1C0u); }
            catch (PosixException e) when (e.Errno == Errno.EEXIST) { }
        }
        else
            MakeEnterable(st);
        return $"{Path}/{Prefix}{Pid}.{Interlocked.Increment(ref _counter)}";
    }

    /// <summary>Removes the leftovers of processes that died mid-operation.</summary>
    public int CleanLeftovers()
    {
        if (!Files.TryLStat(Path, out var st) || !st.IsDirectory)
            return 0;
        MakeEnterable(st);
        var dead = new List<string>();
        using (var r = DirectoryReader.Open(Path))
        {
            while (r.Next(out var name, out _))
            {
                if (OwnerPid(name) is int pid && !IsAlive(pid))
                    dead.Add(name);
            }
        }
        foreach (var name in dead)
            RemoveHostTree(Path + "/" + name);
        return dead.Count;
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
            || Files.AccessError(Path, read: true, write: true, search: true) is null)
            return;
        Files.Chmod(Path, st.Mode | 0x1C0u);
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

    /// <summary>rm -rf of a host path that the engine owns (work dir entries, never followed
    /// through symlinks).</summary>
    public static void RemoveHostTree(string path)
    {
        if (!Files.TryLStat(path, out var st))
            return;
        if (st.IsDirectory)
        {
            var names = new List<string>();
            using (var r = DirectoryReader.Open(path))
            {
                while (r.Next(out var n, out _))
                    names.Add(n);
            }
            foreach (var n in names)
                RemoveHostTree(path + "/" + n);
            Files.Rmdir(path);
        }
        else
            Files.Unlink(path);
    }
}
