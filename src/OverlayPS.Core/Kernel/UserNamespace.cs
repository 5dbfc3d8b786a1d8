namespace OverlayPS.Core.Kernel;

/// <summary>Whether this process lives in a user namespace other than the initial one.</summary>
public static class UserNamespace
{
    /// <summary>
    /// The initial namespace maps every uid to itself: /proc/self/uid_map is the single line
    /// "0 0 4294967295" (user_namespaces(7)). Anything else is a child namespace.
    /// </summary>
    public static bool IsNested
    {
        get
        {
            try
            {
                var lines = File.ReadAllLines("/proc/self/uid_map")
                    .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(f => f.Length == 3).ToArray();
                return !(lines.Length == 1 && lines[0][0] == "0" && lines[0][1] == "0" && lines[0][2] == "4294967295");
            }
            catch (IOException) { return false; }
        }
    }
}
