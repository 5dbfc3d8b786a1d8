using System.Diagnostics;
using OverlayPS.Core.Kernel;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests;

/// <summary>
/// How every test unmounts what it mounted: a plain umount2 (never lazy: the next step may
/// reuse the upper or delete the dirs), retried while the kernel answers EBUSY.
/// </summary>
/// <remarks>
/// EBUSY right after a walk is not a leak of ours: xunit runs test classes in parallel, and a
/// process another test starts holds a copy of every descriptor this process has open from
/// fork until its exec, close-on-exec or not. On two busy cores that window can last long
/// enough to meet our umount. So wait for the busy state to end (it always does once those
/// children exec), with a deadline far beyond any such window; past it the test fails with the
/// kernel's own error.
/// </remarks>
public static class Unmounts
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Dismount-Overlay's Core call (checks that <paramref name="mountPoint"/> is an overlay).</summary>
    public static void Overlay(string mountPoint) => WhileBusy(() => OverlayMounter.Dismount(mountPoint, detach: false));

    /// <summary>Any mount this test made (tmpfs, an overlay mounted with mount(8)).</summary>
    public static void Any(string mountPoint) => WhileBusy(() => Mount.Unmount(mountPoint, detach: false));

    static void WhileBusy(Action unmount)
    {
        var waited = Stopwatch.StartNew();
        var pause = 10;
        while (true)
        {
            try
            {
                unmount();
                return;
            }
            catch (PosixException e) when (e.Errno == Errno.EBUSY && waited.Elapsed < Patience)
            {
                Thread.Sleep(pause);
                pause = Math.Min(pause * 2, 500);
            }
        }
    }
}
