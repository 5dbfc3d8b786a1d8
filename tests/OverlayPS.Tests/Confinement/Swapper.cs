using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Confinement;

/// <summary>
/// An attacker who can write in a layer dir: swaps two names of one directory with
/// renameat2(RENAME_EXCHANGE) in a loop on a thread of its own until disposed, so a directory
/// and a symlink to the host trade places thousands of times a second. Bounded: it stops at
/// dispose, and a test runs its race for a fixed count of operations, not for a time.
/// </summary>
public sealed class Swapper : IDisposable
{
    readonly Thread _thread;
    volatile bool _stop;

    public Swapper(string directory, string a, string b)
    {
        var dir = DirHandle.OpenRoot(directory);
        _thread = new Thread(() =>
        {
            using (dir)
            {
                while (!_stop)
                {
                    try { DirHandle.Rename(dir, a, dir, b, DirHandle.RenameExchange); Swaps++; }
                    catch (PosixException) { }
                }
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public long Swaps { get; private set; }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
