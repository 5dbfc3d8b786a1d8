using System.Management.Automation;
using System.Text;
using OverlayPS.Arguments;
using OverlayPS.Content;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Text;
using OverlayPS.Errors;

namespace OverlayPS.Commands;

/// <summary>
/// Get-OverlayContent -Tail: the last lines of files on an Overlay drive (Get-Content -Tail
/// works only for the FileSystem provider). Reads backwards from the end for UTF-8/ASCII
/// files, so a long log's tail costs what the tail costs. Host paths work too.
/// </summary>
[Cmdlet(VerbsCommon.Get, "OverlayContent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(string))]
public sealed class GetOverlayContentCommand : GuardedCmdlet
{
    const string PathSet = "Path", LiteralSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>How many lines from the end.</summary>
    [Parameter(Mandatory = true)]
    [Alias("Last")]
    [ValidateRange(0, int.MaxValue)]
    public int Tail { get; set; }

    [Parameter]
    [EncodingArgument]
    [ArgumentCompleter(typeof(EncodingNameCompleter))]
    public Encoding Encoding { get; set; } = new UTF8Encoding(false);

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralSet;
        foreach (var p in literal ? LiteralPath : Path)
        {
            List<OverlayLocation> files = new();
            if (!Guarded(() => files = OverlayLocation.Resolve(this, p, literal).ToList(), e => ErrorRecords.ForResolve(e, p), input: true))
                continue;
            foreach (var f in files)
            {
                Guarded(() =>
                {
                    // .NET opens a host directory with "access denied": say what it is, as the
                    // engine does for a directory on a drive.
                    if (f.Union is null && f.Side.LookupFollowing(f.Path) is { IsDirectory: true })
                    {
                        WriteError(ErrorRecords.ForErrno(Errno.EISDIR, f.Shown, "GetContent", isRead: true));
                        return;
                    }
                    using var stream = f.Union is { } u ? u.OpenRead(u.ResolvePath(f.Path)) : f.Side.OpenRead(f.Path);
                    foreach (var line in TailReader.LastLines(stream, Tail, Encoding))
                        WriteObject(line);
                }, e => ErrorRecords.ForItem(e, f.Shown, "GetContent", isRead: true));
            }
        }
    }
}
