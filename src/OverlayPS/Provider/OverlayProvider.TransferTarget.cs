using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;
using OverlayPS.Core.Union;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>
/// Where a Copy-Item, Move-Item or Rename-Item is going, judged once before any of them acts:
/// the destination as named, taken as a directory to go into (Into: an existing directory
/// receives the item under its own name), and as it ends up (Destination: the source itself
/// when named), and how it stands to the source (the same path, the same file by another
/// name or a link, inside the source's own tree, its directory missing). Each cmdlet then
/// answers these as the FileSystem provider does for it, which differs: Copy-Item refuses
/// "with itself", Move-Item of a file onto itself is rename(2)'s no-op, Rename-Item refuses a
/// directory. Where nothing is at the destination, WhyNoneExists is the lookup's errno (a name
/// too long is reported apart).
/// </summary>
sealed record TransferTarget(
    OverlayDriveInfo SourceDrive, string Source, UnionEntry SourceEntry, bool SourceIsContainer,
    OverlayDriveInfo DestinationDrive, string Named, string Into, string Destination, UnionEntry? Existing,
    Errno WhyNoneExists, bool InsideSource)
{
    bool OneDrive => SourceDrive == DestinationDrive;

    /// <summary>The destination, as the caller named it, is the source.</summary>
    public bool NamedItself => OneDrive && Named == Source;

    /// <summary>The destination as named reaches the source once links are followed (a link
    /// to the source directory named as the destination): FileSystem's Copy-Item compares
    /// the two items, not their paths, before it takes the destination as a directory.</summary>
    public bool NamedReachesSource => NamedItself || (OneDrive && SameInode(SourceDrive.Union, Source, Named));

    /// <summary>The destination, once "into a directory" is applied, is the source.</summary>
    public bool SamePath => OneDrive && Destination == Source;

    /// <summary>The destination is the source, or reaches the same inode once links are
    /// followed (a hard link of it, a link to it): what File.Copy refuses "with itself" and
    /// rename(2) leaves alone.</summary>
    public bool SameFile => SamePath || (OneDrive && SameInode(SourceDrive.Union, Source, Destination));

    /// <summary>The same inode as an existing non-directory at the destination, links not
    /// followed: two names of one file, which rename(2) leaves as they are.</summary>
    public bool OtherNameOfSource => OneDrive && Existing is { IsDirectory: false } e
        && e.Stat.Device == SourceEntry.Stat.Device && e.Stat.Inode == SourceEntry.Stat.Inode;

    /// <summary>dst is src or below it (union paths).</summary>
    public static bool IsInside(string dst, string src) =>
        dst == src || dst.StartsWith(src == "/" ? "/" : src + "/", StringComparison.Ordinal);

    static bool SameInode(IUnionFileSystem fs, string a, string b)
    {
        var side = new UnionTreeSide(fs);
        try
        {
            return side.LookupFollowing(b) is { } y && side.LookupFollowing(a) is { } x
                && x.Device == y.Device && x.Inode == y.Inode;
        }
        catch (IOException)
        {
            return false; // a link loop: not the source
        }
    }
}

public sealed partial class OverlayProvider
{
    /// <summary>Judges a copy or move of <paramref name="path"/> to <paramref name="destination"/>
    /// (a missing source throws, as the engine's stat does).</summary>
    TransferTarget TargetOf(string path, string destination)
    {
        var (srcDrive, src) = Locate(path);
        var (dstDrive, dst) = Locate(destination);
        return Target(srcDrive, src, dstDrive, dst, intoDirectory: true);
    }

    /// <summary>Judges a rename: the new name in the same directory, never "into" it.</summary>
    TransferTarget RenameTargetOf(OverlayDriveInfo drive, string src, string newName)
    {
        var parent = OverlayPath.UnionParent(src) ?? "/";
        return Target(drive, src, drive, OverlayPath.UnionChild(parent, NewNameIn(parent, newName)), intoDirectory: false);
    }

    static TransferTarget Target(OverlayDriveInfo srcDrive, string src, OverlayDriveInfo dstDrive, string named, bool intoDirectory)
    {
        var entry = srcDrive.Union.Stat(src);
        bool namedIsContainer = intoDirectory && ContainerEntry(dstDrive.Union, named) is not null;
        // Named as a directory to go into, the item lands under its own name there; named as
        // itself, it stays itself (FileSystem compares the two paths before anything else).
        var into = namedIsContainer ? OverlayPath.UnionChild(named, OverlayPath.LastName(src)) : named;
        var final = named == src ? named : into;
        bool inside = srcDrive == dstDrive
            && (TransferTarget.IsInside(final, src) || TransferTarget.IsInside(into, src));
        var existing = dstDrive.Union.Lookup(final, out var whyNone);
        return new TransferTarget(srcDrive, src, entry, entry.IsDirectory || ContainerEntry(srcDrive.Union, src) is not null,
            dstDrive, named, into, final, existing, whyNone, inside);
    }

    /// <summary>A destination whose directory is missing is an error naming the destination
    /// (the FileSystem provider's "Could not find a part of the path"), written before any copy.</summary>
    bool DestinationParentExists(OverlayDriveInfo dstDrive, string dst, string operation)
    {
        var parent = OverlayPath.UnionParent(dst);
        if (parent is null || ContainerEntry(dstDrive.Union, parent) is not null)
            return true;
        WriteError(ErrorRecords.ForErrno(Errno.ENOENT, PsPath(dstDrive, dst), operation));
        return false;
    }

    /// <summary>A read-only drive refuses before anything is copied, and the error names the
    /// side that cannot be written: Copy-Item demo:/x app:/x into a read-only app: blamed
    /// demo:/x, the source, for the write the destination refused.</summary>
    bool RefusedReadOnly(OverlayDriveInfo drive, string union, string operation)
    {
        if (!drive.ReadOnly)
            return false;
        WriteError(ErrorRecords.ForErrno(Errno.EROFS, PsPath(drive, union), operation));
        return true;
    }
}
