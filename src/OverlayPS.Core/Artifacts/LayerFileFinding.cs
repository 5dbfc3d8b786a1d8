namespace OverlayPS.Core.Artifacts;

/// <summary>How a file of an unpacked layer differs from what its tar-split recorded.</summary>
public enum LayerFileProblem
{
    /// <summary>Same size, different content: its CRC-64 differs from the recorded one.</summary>
    Changed,
    /// <summary>Its size differs from the recorded one.</summary>
    SizeChanged,
    /// <summary>Recorded, but not in the diff dir.</summary>
    Missing,
    /// <summary>In the diff dir, but not recorded (added after the layer was made).</summary>
    Extra,
    /// <summary>Recorded as file content, but the diff dir holds a symlink, FIFO, device or
    /// directory there (or a symlink on the way): it is not followed or read.</summary>
    NotRegular,
}

/// <summary>One difference, by the name's path beneath the layer.</summary>
public sealed record LayerFileFinding(LayerFileProblem Problem, string Name, string Message);

/// <summary>What reassembling one layer gave: the stream's digest and size, and every file that differed.</summary>
public sealed record LayerAssemblyResult(string Digest, long Bytes, int Files, IReadOnlyList<LayerFileFinding> Findings);
