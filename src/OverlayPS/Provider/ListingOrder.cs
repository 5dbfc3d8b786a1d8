namespace OverlayPS.Provider;

/// <summary>
/// The order the FileSystem provider lists one directory in on Linux (seen with pwsh 7.6 over
/// ext4 and over a kernel overlay mount, whatever the readdir order): directories, links to
/// directories among them, first, then everything else; each group by name, ignoring case, in
/// the current culture ("_d" before ".hd", "10" before "9"). Names equal that way ("A.txt",
/// "a.txt") keep the engine's order: the sort is stable.
/// </summary>
static class ListingOrder
{
    public static IEnumerable<T> Sort<T>(IEnumerable<T> children, Func<T, bool> isContainer, Func<T, string> name) =>
        children.OrderBy(c => isContainer(c) ? 0 : 1).ThenBy(name, StringComparer.CurrentCultureIgnoreCase);
}
