using System.Buffers;
using System.Security.Cryptography;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Artifacts;

/// <summary>
/// Rebuilds a layer's exact tar stream the way moby does for <c>docker save</c> and push
/// (vbatts/tar-split tar/asm NewOutputTarStream): segments are copied as recorded, each file
/// entry's content is read from the unpacked layer and checked against the recorded CRC-64.
/// The stream is hashed (sha256: the DiffID) as it is written, so one pass both verifies and
/// exports. Where a file differs the stream still gets exactly the recorded number of bytes
/// (cut, or padded with zeros), so the rest of the layer is still checked; the digest then
/// differs, as it would for docker.
/// Files are read only through the held diff dir, beneath it, never through a link
/// (<see cref="LayerFileAccess"/>); every name is checked (<see cref="TarSplitNames"/>) before
/// it is used, and a tar-split holding an unsafe name is refused as a whole.
/// </summary>
public sealed class LayerAssembler
{
    const int Chunk = 1 << 20;

    readonly DirHandle _diff;
    readonly Stream _output;
    readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly Crc64Iso _crc = new();
    readonly List<LayerFileFinding> _findings = new();
    readonly HashSet<string> _names = new(StringComparer.Ordinal);
    long _bytes;
    int _files;

    /// <summary>Called after each file with the bytes written so far (for progress).</summary>
    public Action<long>? Progress { get; init; }
    /// <summary>Asked between files: true ends the work early (OperationCanceledException).</summary>
    public Func<bool>? Stopping { get; init; }

    public LayerAssembler(DirHandle diff, Stream output)
    {
        _diff = diff;
        _output = output;
    }

    /// <summary>Reassembles the stream, then compares the diff dir with the names recorded
    /// (missing and extra files). Throws <see cref="TarSplitException"/> for a tar-split that
    /// breaks a rule; file differences are findings, not exceptions.</summary>
    public LayerAssemblyResult Run(TarSplitReader reader)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            while (reader.Next(out var e))
            {
                if (e.Type == TarSplitEntryType.Segment)
                {
                    Write(e.Payload!);
                    continue;
                }
                var rel = TarSplitNames.ToRelative(e.Name!, out var refusal)
                    ?? throw new TarSplitException(0, $"file entry '{TarSplitReader.Shown(e.Name!)}' has {refusal}: no file is opened with it.");
                _names.Add(rel);
                if (e.Size > 0)
                {
                    CopyFile(rel, e, buffer);
                    _files++;
                    Progress?.Invoke(_bytes);
                    if (Stopping?.Invoke() == true)
                        throw new OperationCanceledException("Stopped.");
                }
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        var reported = new HashSet<string>(_findings.Select(f => f.Name), StringComparer.Ordinal);
        foreach (var f in DiffInventory.Compare(_diff, _names))
            if (!reported.Contains(f.Name))
                _findings.Add(f);
        _findings.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var digest = "sha256:" + Convert.ToHexString(_sha.GetHashAndReset()).ToLowerInvariant();
        return new LayerAssemblyResult(digest, _bytes, _files, _findings);
    }

    void CopyFile(string rel, TarSplitEntry e, byte[] buffer)
    {
        var status = LayerFileAccess.OpenRegular(_diff, rel, out var handle, out var st);
        if (status != LayerFileOpen.Opened)
        {
            _findings.Add(status == LayerFileOpen.Missing
                ? new LayerFileFinding(LayerFileProblem.Missing, rel, $"'{rel}' ({e.Size} bytes) is recorded in the layer but not in its diff dir.")
                : new LayerFileFinding(LayerFileProblem.NotRegular, rel, $"'{rel}' is recorded as a file of {e.Size} bytes, but the diff dir holds a {(status == LayerFileOpen.Symlink ? "symlink" : "non-regular file")} there: it is not read."));
            Pad(e.Size, buffer);
            return;
        }
        using (handle)
        {
            _crc.Reset();
            long done = 0;
            while (done < e.Size)
            {
                int want = (int)Math.Min(buffer.Length, e.Size - done);
                int n = RandomAccess.Read(handle!, buffer.AsSpan(0, want), done);
                if (n == 0)
                    break;
                _crc.Append(buffer.AsSpan(0, n));
                Write(buffer.AsSpan(0, n));
                done += n;
            }
            if (done < e.Size || st.Size != e.Size)
            {
                _findings.Add(new LayerFileFinding(LayerFileProblem.SizeChanged, rel,
                    $"'{rel}' is {st.Size} bytes; the layer recorded {e.Size}."));
                Pad(e.Size - done, buffer);
                return;
            }
            if (!_crc.Sum().AsSpan().SequenceEqual(e.Payload))
                _findings.Add(new LayerFileFinding(LayerFileProblem.Changed, rel,
                    $"'{rel}' has the recorded size ({e.Size} bytes) but not the recorded content (CRC-64 {_crc.Value:x16}, recorded {Convert.ToHexString(e.Payload!).ToLowerInvariant()})."));
        }
    }

    void Pad(long count, byte[] buffer)
    {
        Array.Clear(buffer);
        while (count > 0)
        {
            int n = (int)Math.Min(buffer.Length, count);
            Write(buffer.AsSpan(0, n));
            count -= n;
        }
    }

    void Write(ReadOnlySpan<byte> data)
    {
        _sha.AppendData(data);
        _output.Write(data);
        _bytes += data.Length;
    }
}
