using System.IO.Compression;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Archive;

/// <summary>
/// Applies an OCI layer tar (plain or gzip, told apart by its first two bytes) as a new lower
/// directory or onto an upper. Nothing is half-applied: the whole tar is first written into a
/// new staging directory (a hidden sibling of the new lower; a directory in the upper's work
/// dir, so both are on the target's filesystem), where every refusal happens; only a tar that
/// staged completely is renamed into place (a new lower: one renameat2 NOREPLACE) or merged
/// into the upper (see <see cref="LayerMerge"/>). On a refusal or error the stage is removed
/// and the target is as it was.
/// </summary>
public static class LayerImport
{
    public static LayerImportResult ToNewLower(string tarPath, string lowerDir, LayerImportOptions options)
    {
        var full = System.IO.Path.GetFullPath(lowerDir).TrimEnd('/');
        var leaf = System.IO.Path.GetFileName(full);
        var parentPath = System.IO.Path.GetDirectoryName(full);
        if (string.IsNullOrEmpty(leaf) || parentPath is null)
            throw new LayerImportException(LayerImportProblem.TargetExists, full, $"'{full}' cannot be a new lower directory.");
        using var tar = OpenTar(tarPath);
        using var parent = DirHandle.OpenRoot(parentPath);
        if (parent.TryStat(leaf, out _))
            throw new LayerImportException(LayerImportProblem.TargetExists, full, $"'{full}' already exists; a layer is imported as a new lower directory.");
        var stageName = $".{leaf}.import-{Guid.NewGuid():N}";
        parent.Mkdir(stageName, 0x1ED);
        try
        {
            LayerStage stage;
            using (var stageDir = parent.OpenDir(stageName))
                stage = StageAll(tar, stageDir, options);
            if (!DirHandle.TryRenameNoReplace(parent, stageName, parent, leaf))
                throw new LayerImportException(LayerImportProblem.TargetExists, full, $"'{full}' appeared while the layer was staged.");
            return new LayerImportResult(full, stage.Entries, stage.Whiteouts, stage.OpaqueDirs, stage.Bytes);
        }
        catch
        {
            Union.WorkDir.RemoveTree(parent, stageName);
            throw;
        }
    }

    /// <summary>Onto an upper: staged in the stack's <c>work/work</c> (where the engine builds
    /// its copy-ups, under its "#ovlps.&lt;pid&gt;." names: a stage a crash leaves is cleaned by
    /// the next open, or by the kernel's next mount), then merged in.</summary>
    public static LayerImportResult OntoUpper(string tarPath, string upperDir, string workDir, LayerImportOptions options)
    {
        using var tar = OpenTar(tarPath);
        using var upper = DirHandle.OpenRoot(upperDir);
        using var stackWork = DirHandle.OpenRoot(workDir);
        using var work = new Union.WorkDir(stackWork);
        var stageName = work.NewTempName() + ".import";
        work.Dir.Mkdir(stageName, 0x1C0);
        try
        {
            using var stageDir = work.Dir.OpenDir(stageName);
            // An upper holds the kernel's form of whiteouts only: .wh. names there are plain files.
            var stage = StageAll(tar, stageDir, options with { OciWhiteouts = false });
            LayerMerge.Into(stageDir, upper, options.XattrPrefix);
            return new LayerImportResult(upper.Path, stage.Entries, stage.Whiteouts, stage.OpaqueDirs, stage.Bytes);
        }
        finally
        {
            Union.WorkDir.RemoveTree(work.Dir, stageName);
        }
    }

    static LayerStage StageAll(Stream tar, DirHandle stageDir, LayerImportOptions options)
    {
        var stage = new LayerStage(stageDir, options);
        var reader = new TarEntryReader(tar);
        try
        {
            while (reader.Next() is { } entry)
            {
                if (options.Stopping?.Invoke() == true)
                    throw new OperationCanceledException();
                stage.Apply(entry, reader);
                options.Staged?.Invoke(FileNames.Decode(entry.Name));
            }
            stage.Finish();
        }
        catch (Exception e) when (e is TarFormatException or InvalidDataException)
        {
            throw new LayerImportException(LayerImportProblem.MalformedTar, "", "The input is not a readable layer tar: " + e.Message);
        }
        return stage;
    }

    /// <summary>The tar file, through gzip when it starts with gzip's magic bytes (1f 8b).</summary>
    static Stream OpenTar(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
    }
}
