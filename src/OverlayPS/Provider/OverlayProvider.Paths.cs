using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>Path arithmetic and the drive a path belongs to (see <see cref="OverlayPath"/>).</summary>
public sealed partial class OverlayProvider
{
    /// <summary>Any string without a NUL can name an entry in a Linux directory.</summary>
    protected override bool IsValidPath(string path) =>
        !string.IsNullOrEmpty(path) && path.IndexOf('\0') < 0;

    /// <summary>The drive and union path a provider path names. A path naming no drive
    /// belongs to the drive of the current call.</summary>
    (OverlayDriveInfo Drive, string Union) Locate(string path)
    {
        var union = OverlayPath.ToUnion(path, out var name);
        return (DriveNamed(name), union);
    }

    OverlayDriveInfo DriveNamed(string? name)
    {
        if (PSDriveInfo is OverlayDriveInfo current &&
            (name is null || string.Equals(current.Name, name, StringComparison.OrdinalIgnoreCase)))
            return current;
        if (name is not null)
        {
            // Drives of every scope the caller sees (a drive made inside a function or script
            // block is not among ProviderInfo.Drives, which lists the global ones).
            try
            {
                if (SessionState.Drive.Get(name) is OverlayDriveInfo scoped)
                    return scoped;
            }
            catch (System.Management.Automation.DriveNotFoundException) { }
            foreach (var d in ProviderInfo.Drives)
            {
                if (d is OverlayDriveInfo od && string.Equals(od.Name, name, StringComparison.OrdinalIgnoreCase))
                    return od;
            }
        }
        throw new System.IO.DriveNotFoundException($"Cannot find an Overlay drive named '{name ?? "(none)"}'.");
    }

    static string PsPath(OverlayDriveInfo drive, string union) => OverlayPath.Join(drive.Name, union);

    /// <summary>Stops at the drive root, as FileSystemProvider.GetParentPath does.</summary>
    protected override string GetParentPath(string path, string root)
    {
        if (string.IsNullOrEmpty(path))
            return "";
        var p = path.Replace('\\', '/');
        if (!string.IsNullOrEmpty(root) && SamePath(p, root.Replace('\\', '/')))
            return "";
        int colon = p.IndexOf(':');
        // "x:" starts a drive path only for a drive of this provider: a relative path can
        // hold a name with a colon ("a:b/c").
        if (colon > 0 && (p.IndexOf('/') < 0 || colon < p.IndexOf('/')) && IsOverlayDriveName(p.Substring(0, colon)))
        {
            var union = OverlayPath.ToUnion(p, out var drive);
            var parent = OverlayPath.UnionParent(union);
            return parent is null ? "" : OverlayPath.Join(drive!, ClampedAtRoot(parent));
        }
        var trimmed = p.Length > 1 ? p.TrimEnd('/') : p;
        if (trimmed == "/")
            return "";
        int slash = trimmed.LastIndexOf('/');
        if (slash < 0)
            return "";
        return slash == 0 ? "/" : ClampedAtRoot(trimmed.Substring(0, slash));
    }

    /// <summary>
    /// A rooted parent path whose ".." would climb above the root, with those ".." applied and
    /// stopped at the root ("/../../data" is "/data"), as the kernel and the engine resolve it;
    /// any other path unchanged. PowerShell normalizes a drive path by splitting it with
    /// GetChildName/GetParentPath and cancelling each ".." against the name before it: a ".."
    /// with nothing before it failed as "outside the base", and the command then went on with
    /// the drive ROOT (Set-ItemProperty drv:/../../typo -Name Mode changed the root's mode).
    /// </summary>
    static string ClampedAtRoot(string path)
    {
        if (!path.StartsWith('/') || !path.Contains(".."))
            return path;
        int depth = 0;
        foreach (var c in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (c == "..")
            {
                if (--depth < 0)
                    return "/" + string.Join('/', Components(path));
            }
            else if (c != ".")
                depth++;
        }
        return path;
    }

    protected override string MakePath(string parent, string child)
    {
        if (string.IsNullOrEmpty(parent))
            return child?.Replace('\\', '/') ?? "";
        parent = parent.Replace('\\', '/');
        if (string.IsNullOrEmpty(child))
            return parent;
        child = child.Replace('\\', '/').TrimStart('/');
        if (child.Length == 0)
            return parent;
        return parent.EndsWith('/') ? parent + child : parent + "/" + child;
    }

    protected override string GetChildName(string path)
    {
        if (string.IsNullOrEmpty(path))
            return path;
        var p = path.Replace('\\', '/');
        var trimmed = p.TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        if (trimmed.Length == 0 || (slash < 0 && trimmed.EndsWith(':')))
            return p; // a root is its own name
        return slash < 0 ? trimmed : trimmed.Substring(slash + 1);
    }

    /// <summary>
    /// The path relative to basePath, with "." and ".." worked out the way the kernel does at
    /// a root: ".." of the drive root is the root (FileSystemProvider does the same for "/"),
    /// so "demo:/../etc" is "demo:/etc" and never an error. Its results have the
    /// FileSystemProvider's shape: "../b" for basePath /a/b itself, "../../" for the root.
    /// </summary>
    protected override string NormalizeRelativePath(string path, string basePath)
    {
        var p = path.Replace('\\', '/');
        var b = (basePath ?? "").Replace('\\', '/');
        bool hasDrive = StartsWithDrive(p, out var drive);
        if (!hasDrive && !p.StartsWith('/'))
            p = MakePath(b, p);
        var full = Components(hasDrive ? p.Substring(drive!.Length + 1) : StripDrive(p));
        var baseParts = Components(StripDrive(b));
        int common = 0;
        while (common < full.Count && common < baseParts.Count && full[common] == baseParts[common])
            common++;
        if (common == full.Count && common > 0)
        {
            // The path is basePath itself or one of its ancestors: like FileSystemProvider, go
            // one level further up and name it ("../etc" for the current dir /etc). Tab
            // completion relies on it: it cuts the child name off the end of this result.
            common--;
        }
        var rel = string.Join('/', Enumerable.Repeat("..", baseParts.Count - common).Concat(full.Skip(common)));
        return full.Count == 0 && baseParts.Count > 0 ? rel + "/" : rel;   // the root: "../../"
    }

    bool StartsWithDrive(string p, out string? drive)
    {
        drive = null;
        int colon = p.IndexOf(':');
        if (colon <= 0 || (p.IndexOf('/') >= 0 && p.IndexOf('/') < colon) || !IsOverlayDriveName(p.Substring(0, colon)))
            return false;
        drive = p.Substring(0, colon);
        return true;
    }

    string StripDrive(string p) => StartsWithDrive(p, out var d) ? p.Substring(d!.Length + 1) : p;

    /// <summary>The components of a path from the root, "." dropped, ".." applied and stopped
    /// at the root.</summary>
    static List<string> Components(string path) => UnionPath.ParseLexical(path).Components.ToList();

    bool IsOverlayDriveName(string name) =>
        (PSDriveInfo is { } d && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)) ||
        ProviderInfo.Drives.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));

    static bool SamePath(string a, string b) =>
        string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    protected override object ItemExistsDynamicParameters(string path) => new OverlayItemExistsParameters();

    protected override bool ItemExists(string path)
    {
        try
        {
            var (drive, union) = Locate(path);
            var e = drive.Union.Lookup(union, out var errno);
            if (e is null)
            {
                if (errno == Errno.ENAMETOOLONG)
                    WriteError(ErrorRecords.NameTooLongAtExistenceCheck(path));
                return false;
            }
            // Test-Path -OlderThan/-NewerThan: the item's own last write time (a DateTime
            // without a kind is local time, as PowerShell's own dates are).
            if (Bound<OverlayItemExistsParameters>() is { } when)
            {
                var written = e.Stat.MTimeUtc;
                if (when.OlderThan is { } older && written >= older.ToUniversalTime())
                    return false;
                if (when.NewerThan is { } newer && written <= newer.ToUniversalTime())
                    return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException)
        {
            return false;
        }
    }

    /// <summary>A directory, or a symlink that resolves (inside the union) to one: the
    /// FileSystem provider treats both as containers.</summary>
    protected override bool IsItemContainer(string path)
    {
        try
        {
            var (drive, union) = Locate(path);
            return ContainerEntry(drive.Union, union) is not null;
        }
        catch (Exception e) when (e is IOException)
        {
            return false;
        }
    }

    /// <summary>The directory entry a path lists: itself, or the directory its symlink chain
    /// ends at; null when it is not a directory.</summary>
    static UnionEntry? ContainerEntry(IUnionFileSystem fs, string union)
    {
        var e = fs.Lookup(union);
        if (e is null)
            return null;
        if (e.IsDirectory)
            return e;
        if (e.Kind != Core.Posix.FileKind.Symlink)
            return null;
        try
        {
            var target = fs.Lookup(fs.ResolvePath(union));
            return target is { IsDirectory: true } ? target : null;
        }
        catch (IOException)
        {
            return null; // dangling or looping link
        }
    }

    /// <summary>What a path names once its final symlink chain is followed (inside the union):
    /// the entry itself when it is no link; null when nothing is there, or the link dangles or
    /// loops (what .NET's FileInfo then reports as "Could not find file").</summary>
    static UnionEntry? FollowedEntry(IUnionFileSystem fs, string union)
    {
        var e = fs.Lookup(union);
        if (e is not { Kind: Core.Posix.FileKind.Symlink })
            return e;
        try { return fs.Lookup(fs.ResolvePath(union)); }
        catch (IOException) { return null; }
    }

    /// <summary>The path content calls act on: a final symlink is followed (inside the union),
    /// as opening a file through a mount does.</summary>
    static string FollowFinal(IUnionFileSystem fs, string union)
    {
        var e = fs.Lookup(union);
        return e is { Kind: Core.Posix.FileKind.Symlink } ? fs.ResolvePath(union) : union;
    }
}
