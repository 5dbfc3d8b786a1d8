using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>
/// Listing: Get-ChildItem and the names the globber and tab completion walk. Follows
/// FileSystemProvider's Dir(): one directory's containers first, then its other items, then
/// the recursion into sub-directories (not into symlinked ones, not into hidden ones without
/// -Force); -Depth 0 lists only the directory's own children; dot-files are hidden.
/// Each directory is read whole and written in <see cref="ListingOrder"/>, then recursed into
/// in that order (as Get-ChildItem -Name walks).
/// </summary>
public sealed partial class OverlayProvider
{
    protected override object GetChildItemsDynamicParameters(string path, bool recurse) => new OverlayChildItemParameters();

    protected override object GetChildNamesDynamicParameters(string path) => new OverlayChildItemParameters();

    protected override void GetChildItems(string path, bool recurse) => GetChildItems(path, recurse, uint.MaxValue);

    protected override void GetChildItems(string path, bool recurse, uint depth)
    {
        OverlayDriveInfo? drive = null;
        Guarded(path, "GetChildItems", () =>
        {
            (drive, var union) = Locate(path);
            var fs = drive.Union;
            var dir = ContainerEntry(fs, union);
            if (dir is null)
            {
                var self = fs.Stat(union);
                var selection = new ChildSelection(this);
                if (HiddenWithoutForce(self.Name, union, path, selection.ShowsHidden))
                    return;
                if (selection.Accepts(self.Name, isContainer: false, explicitItem: true))
                    WriteEntry(drive, self, isContainer: false);
                return;
            }
            // -FollowSymlink: the directories walked so far, by union path after resolving
            // (the FileSystem provider's InodeTracker: union paths are unique per directory).
            var visited = recurse && Bound<OverlayChildItemParameters>()?.FollowSymlink.IsPresent == true
                ? new HashSet<string>(StringComparer.Ordinal) { dir.Path }
                : null;
            Walk(drive, dir.Path, union, recurse, depth, new ChildSelection(this), visited);
        }, isRead: true);
    }

    /// <param name="listed">The union directory read (a symlinked directory's target).</param>
    /// <param name="shown">The union path its children are shown under.</param>
    /// <param name="visited">With -FollowSymlink, the directories walked so far; null otherwise.</param>
    void Walk(OverlayDriveInfo drive, string listed, string shown, bool recurse, uint depth, ChildSelection selection,
        HashSet<string>? visited)
    {
        var fs = drive.Union;
        // The whole directory first: it is written in the FileSystem provider's order, not
        // the engine's (layer by layer). Each child keeps the union path it is read at and,
        // for a link to a directory, that directory.
        var children = new List<(UnionEntry Entry, string Listed, UnionEntry? LinkedDir)>();
        bool listedAll = Guarded(PsPath(drive, shown), "GetChildItems", () =>
        {
            foreach (var raw in fs.ReadDir(listed))
            {
                if (Stopping)
                    return;
                if (!selection.ShowsHidden && IsHidden(raw.Name))
                    continue;
                var e = listed == shown ? raw : raw with { Path = OverlayPath.UnionChild(shown, raw.Name) };
                children.Add((e, raw.Path, e.Kind == FileKind.Symlink ? ContainerEntry(fs, e.Path) : null));
            }
        }, isRead: true);
        if (!listedAll || Stopping)
            return;
        // Real directories are walked before linked ones, so -FollowSymlink shows a tree under
        // its own name when a link also reaches it.
        var subdirs = new List<(string Listed, string Shown)>();
        var linkedDirs = new List<(string Listed, string Shown)>();
        foreach (var (e, rawPath, linkedDir) in ListingOrder.Sort(children, c => c.Entry.IsDirectory || c.LinkedDir is not null, c => c.Entry.Name))
        {
            if (Stopping)
                return;
            bool isContainer = e.IsDirectory || linkedDir is not null;
            if (selection.Accepts(e.Name, isContainer))
                WriteEntry(drive, e, isContainer);
            if (recurse && e.IsDirectory)
                subdirs.Add((rawPath, e.Path));
            else if (recurse && linkedDir is not null && visited is not null)
                linkedDirs.Add((linkedDir.Path, e.Path));
        }
        subdirs.AddRange(linkedDirs);
        if (selection.ShowsMarkers)
            WriteMarkers(drive, listed, shown, selection);
        if (!recurse || depth == 0)
            return;
        foreach (var (subListed, subShown) in subdirs)
        {
            if (Stopping)
                return;
            if (visited is not null && !visited.Add(subListed))
            {
                WriteWarning($"Skip already-visited directory {PsPath(drive, subShown)}.");
                continue;
            }
            Walk(drive, subListed, subShown, recurse, depth - 1, selection, visited);
        }
    }

    protected override void GetChildNames(string path, ReturnContainers returnContainers)
    {
        Guarded(path, "GetChildNames", () =>
        {
            var (drive, union) = Locate(path);
            var fs = drive.Union;
            var dir = ContainerEntry(fs, union);
            if (dir is null)
            {
                var self = fs.Stat(union);
                WriteItemObject(self.Name, PsPath(drive, union), false);
                return;
            }
            if (ThroughALinkLoop(fs, union))
                return;
            var selection = new ChildSelection(this);
            var children = fs.ReadDir(dir.Path).Where(e => selection.ShowsHidden || !IsHidden(e.Name));
            bool listedAsContainer(UnionEntry e) => e.IsDirectory || (e.Kind == FileKind.Symlink && ContainerEntry(fs, e.Path) is not null);
            foreach (var e in ListingOrder.Sort(children, listedAsContainer, e => e.Name))
            {
                if (Stopping)
                    return;
                bool isContainer = e.IsDirectory;
                bool match = selection.Accepts(e.Name, isContainer);
                // Names go out undecorated as containers, as FileSystemProvider writes them
                // (-Name output carries PSIsContainer = false there too).
                if (match || (isContainer && returnContainers == ReturnContainers.ReturnAllContainers))
                    WriteItemObject(e.Name, PsPath(drive, OverlayPath.UnionChild(union, e.Name)), false);
            }
        }, isRead: true);
    }

    protected override bool HasChildItems(string path)
    {
        try
        {
            var (drive, union) = Locate(path);
            var dir = ContainerEntry(drive.Union, union);
            return dir is not null && drive.Union.ReadDir(dir.Path).Any();
        }
        catch (Exception e) when (e is IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a path reaches one directory twice through links (/c/up/c/up where up -> ..).
    /// Get-ChildItem -Recurse -Name is walked by PowerShell itself, which descends into every
    /// container the provider names; on FileSystem it skips links, elsewhere it would follow a
    /// link to an ancestor for ever. Such a path lists nothing.
    /// </summary>
    static bool ThroughALinkLoop(IUnionFileSystem fs, string union)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var prefix = "/";
        foreach (var name in union.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            prefix = OverlayPath.UnionChild(prefix, name);
            if (fs.Lookup(prefix) is not { Kind: FileKind.Symlink })
                continue;
            try
            {
                if (!reached.Add(fs.ResolvePath(prefix)))
                    return true;
            }
            catch (IOException) { return false; }
        }
        return false;
    }

    /// <summary>The whiteouts and opaque marks of every layer copy of one directory, as the
    /// engine reports them (IUnionFileSystem.ReadMarkers): display only.</summary>
    void WriteMarkers(OverlayDriveInfo drive, string listed, string shown, ChildSelection selection) =>
        Guarded(PsPath(drive, shown), "GetChildItems", () =>
        {
            foreach (var m in drive.Union.ReadMarkers(listed))
            {
                if (Stopping)
                    return;
                bool opaque = m.Kind is MarkerKind.Opaque or MarkerKind.OciOpaque;
                if (!opaque && !selection.AcceptsName(m.Name))
                    continue;
                var path = opaque ? shown : OverlayPath.UnionChild(shown, m.Name);
                var name = opaque ? "." : m.Name;
                var entry = new UnionEntry(path, name, m.Stat, m.Layer, m.RealPath, false, opaque);
                WriteItemObject(OverlayItem.For(entry, drive.Name, null, null, opaque ? "opaque" : "whiteout", drive.Names), PsPath(drive, path), false);
            }
        }, isRead: true);

    /// <summary>Dot-files are hidden on Linux, as the FileSystem provider treats them.</summary>
    static bool IsHidden(string name) => name.Length > 0 && name[0] == '.';

    /// <summary>Writes one entry as an <see cref="OverlayItem"/> at its drive path.</summary>
    void WriteEntry(OverlayDriveInfo drive, UnionEntry e, bool isContainer)
    {
        string? target = null;
        if (e.Kind == FileKind.Symlink)
        {
            try { target = drive.Union.ReadLink(e.Path); }
            catch (IOException) { }
        }
        WriteItemObject(OverlayItem.For(e, drive.Name, target, drive.Union, names: drive.Names), PsPath(drive, e.Path), isContainer);
    }

    /// <summary>What -Filter, -File, -Directory, -Hidden and -Force let through.</summary>
    sealed class ChildSelection
    {
        readonly WildcardPattern? _filter;
        readonly bool _files, _dirs, _hiddenOnly;
        public bool ShowsHidden { get; }
        public bool ShowsMarkers { get; }

        public ChildSelection(OverlayProvider provider)
        {
            var f = provider.Filter;
            // -Filter as the FileSystem provider on Linux matches it (.NET's Win32 match type):
            // only * and ? are wildcards, brackets are plain characters, case is ignored.
            _filter = string.IsNullOrEmpty(f) || f == "*" ? null
                : WildcardPattern.Get(f.Replace("`", "``").Replace("[", "`[").Replace("]", "`]"), WildcardOptions.IgnoreCase);
            var p = provider.Bound<OverlayChildItemParameters>();
            _files = p?.File.IsPresent ?? false;
            _dirs = p?.Directory.IsPresent ?? false;
            _hiddenOnly = p?.Hidden.IsPresent ?? false;
            ShowsHidden = provider.Force.IsPresent || _hiddenOnly;
            ShowsMarkers = p?.ShowMarkers.IsPresent ?? false;
        }

        public bool AcceptsName(string name) => _filter is null || _filter.IsMatch(name);

        public bool Accepts(string name, bool isContainer, bool explicitItem = false)
        {
            if (_filter is not null && !_filter.IsMatch(name))
                return false;
            if (_files && !_dirs && isContainer)
                return false;
            if (_dirs && !_files && !isContainer)
                return false;
            if (_hiddenOnly && !IsHidden(name) && !explicitItem)
                return false;
            return true;
        }
    }
}
