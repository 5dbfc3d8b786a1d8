using System.Management.Automation;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Transfer;
using OverlayPS.Errors;
using OverlayPS.Items;
using OverlayPS.Progress;

namespace OverlayPS.Commands;

/// <summary>
/// Copy-OverlayItem: copies files and trees into, out of, and between Overlay drives keeping
/// metadata (mode, times, owner when root; symlinks stay symlinks, fifos stay fifos), what
/// Copy-Item cannot do across providers. Writes into a drive go through the engine (copy-up,
/// whiteouts replaced), reads of host files are plain reads.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "OverlayItem", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(OverlayItem), typeof(FileSystemInfo))]
public sealed class CopyOverlayItemCommand : GuardedCmdlet
{
    const string PathSet = "Path", LiteralSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Where to copy: an existing directory receives the items under their names.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string Destination { get; set; } = "";

    /// <summary>Copy directories with their contents.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Replace existing files at the destination.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the copied top-level items.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralSet;
        foreach (var p in literal ? LiteralPath : Path)
        {
            List<OverlayLocation> sources = new();
            OverlayLocation? destination = null;
            if (!Guarded(() =>
                {
                    sources = OverlayLocation.Resolve(this, p, literal).ToList();
                    destination = OverlayLocation.ResolveUnresolved(this, Destination);
                }, e => ErrorRecords.ForResolve(e, p), input: true) || destination is null)
                continue;
            foreach (var source in sources)
                CopyOne(source, destination);
        }
    }

    /// <summary>One source item; its failure is one error and the next source goes on. A host
    /// path .NET refuses before any I/O (a NUL in it) is the destination's fault.</summary>
    void CopyOne(OverlayLocation source, OverlayLocation destination)
    {
        Guarded(() =>
        {
            if (source.Side.Lookup(source.Path) is not { } st)
            {
                WriteError(ErrorRecords.ForErrno(Errno.ENOENT, source.Shown, "CopyItem"));
                return;
            }
            var target = destination.Path;
            // A link to a directory receives the item too, as with cp and Copy-Item (on a drive
            // the link is followed inside the union).
            if (destination.Side.LookupFollowing(target) is { IsDirectory: true })
                target = destination.Side.Combine(target, LastName(source.Path));
            if (DestinationError(st, destination, target) is { } refused)
            {
                WriteError(refused);
                return;
            }
            if (!ShouldProcess($"Item: {source.Shown} Destination: {destination.ShowChild(target)}", st.IsDirectory ? "Copy Directory" : "Copy File"))
                return;
            bool itemFailed = false;
            var progress = new ProgressDisplay(WriteProgress, "Copy-OverlayItem", "Copied");
            var copy = new TreeCopy(source.Side, destination.Side,
                new TreeCopyOptions(Recurse: Recurse.IsPresent, KeepMetadata: true, Overwrite: Force.IsPresent))
            {
                Stopping = () => Stopping,
                Progress = progress.Show,
                Failed = (e, s) =>
                {
                    itemFailed |= s == source.Path;
                    WriteError(ErrorRecords.ForItem(e, source.ShowChild(s), "CopyItem"));
                },
            };
            try { copy.Copy(source.Path, target); }
            finally { progress.Complete(); }
            // -PassThru writes what was copied: nothing when the item itself failed.
            if (PassThru && !itemFailed)
                WriteCopied(destination, target);
        }, e => e is ArgumentException a
            ? ErrorRecords.InvalidHostPath(a, destination.Shown)
            : ErrorRecords.ForItem(e, source.Shown, "CopyItem"), input: true);
    }

    /// <summary>What is wrong at the destination itself, checked before copying so the error
    /// names the destination (a missing directory, an existing file without -Force), not the
    /// source, as Copy-Item's do.</summary>
    ErrorRecord? DestinationError(FileStat source, OverlayLocation destination, string target)
    {
        Errno? errno = null;
        var parent = System.IO.Path.GetDirectoryName(target);
        if (destination.Drive is { ReadOnly: true })
            errno = Errno.EROFS;
        else if (parent is not null && destination.Side.LookupFollowing(parent) is not { IsDirectory: true })
            errno = destination.Side.Lookup(parent) is null ? Errno.ENOENT : Errno.ENOTDIR;
        else if (!Force && !source.IsDirectory && destination.Side.Lookup(target) is { IsDirectory: false })
            errno = Errno.EEXIST;
        else if (source.IsDirectory && Recurse && IsInside(destination, parent, source))
            return ErrorRecords.CopyIntoItself(destination.ShowChild(target));
        return errno is { } e
            ? ErrorRecords.ForErrno(e, destination.ShowChild(target), "CopyItem")
            : null;
    }

    /// <summary>The directory dir, or one of its ancestors, is the source directory (same
    /// device and inode, whichever side and spelling reaches it).</summary>
    static bool IsInside(OverlayLocation destination, string? dir, FileStat source)
    {
        for (var d = dir; d is not null; d = System.IO.Path.GetDirectoryName(d))
        {
            if (destination.Side.LookupFollowing(d) is { } st && st.Device == source.Device && st.Inode == source.Inode)
                return true;
        }
        return false;
    }

    void WriteCopied(OverlayLocation destination, string target)
    {
        if (destination.Union is { } union)
        {
            var e = union.Stat(target);
            string? link = e.Kind == FileKind.Symlink ? union.ReadLink(target) : null;
            WriteObject(OverlayItem.For(e, destination.Drive!.Name, link, union, names: destination.Drive.Names));
        }
        else
        {
            // Through the FileSystem provider, as Copy-Item -PassThru returns it: with PSPath,
            // PSParentPath and the provider noted, so it takes FileSystem's view and pipes on.
            foreach (var item in SessionState.InvokeProvider.Item.Get(new[] { target }, force: true, literalPath: true))
                WriteObject(item);
        }
    }

    static string LastName(string path) => System.IO.Path.GetFileName(path.TrimEnd('/')) is { Length: > 0 } n ? n : path;
}
