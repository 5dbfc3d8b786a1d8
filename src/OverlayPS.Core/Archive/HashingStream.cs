using System.Security.Cryptography;

namespace OverlayPS.Core.Archive;

/// <summary>A write-only pass-through that hashes and counts what goes by: the DiffID is the
/// sha256 of the plain tar, computed on the way to the (maybe gzip) output in one pass.</summary>
internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
{
    long _written;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void Flush() => inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
