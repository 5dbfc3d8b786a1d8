using System.Runtime.InteropServices;
using System.Text;

namespace OverlayPS.Core.Posix;

/// <summary>
/// The kernel's printk ring buffer through syslog(2) (glibc's klogctl), the same text dmesg
/// prints. Reading may be refused (dmesg_restrict without CAP_SYSLOG): that answers null.
/// </summary>
public static partial class KernelLogBuffer
{
    const int SYSLOG_ACTION_READ_ALL = 3;
    const int SYSLOG_ACTION_SIZE_BUFFER = 10;

    public static string? ReadAll()
    {
        try
        {
            int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, null, 0);
            if (size <= 0)
                return null;
            var buf = new byte[size];
            int n = klogctl(SYSLOG_ACTION_READ_ALL, buf, buf.Length);
            return n < 0 ? null : Encoding.UTF8.GetString(buf, 0, n);
        }
        catch (EntryPointNotFoundException) { return null; }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int klogctl(int type, byte[]? buf, int len);
}
