using System.Text;
using OverlayPS.Core.Text;

namespace OverlayPS.Tests.Provider;

public class TailReaderTests
{
    static IReadOnlyList<string> Tail(string text, int n, Encoding? enc = null, bool seekable = true)
    {
        enc ??= new UTF8Encoding(false);
        var bytes = enc.GetPreamble().Concat(enc.GetBytes(text)).ToArray();
        Stream s = new MemoryStream(bytes);
        if (!seekable) s = new ForwardOnly(s);
        return TailReader.LastLines(s, n, enc);
    }

    /// <summary>What Get-Content would give: the lines, then the last n.</summary>
    static string[] Expected(string text, int n)
    {
        var lines = new List<string>();
        using var r = new StringReader(text);
        for (string? l; (l = r.ReadLine()) is not null;) lines.Add(l);
        return lines.Skip(Math.Max(0, lines.Count - n)).ToArray();
    }

    [Theory]
    [InlineData("a\nb\nc\n", 2)]
    [InlineData("a\nb\nc", 2)]
    [InlineData("a\nb\nc\n", 5)]
    [InlineData("a\r\nb\r\nc\r\n", 1)]
    [InlineData("\n\n\n", 2)]
    [InlineData("", 3)]
    [InlineData("only", 1)]
    [InlineData("a\nb\n\n", 2)]
    public void Matches_reading_every_line(string text, int n)
    {
        Assert.Equal(Expected(text, n), Tail(text, n));
        Assert.Equal(Expected(text, n), Tail(text, n, seekable: false));
        Assert.Equal(Expected(text, n), Tail(text, n, new UnicodeEncoding(false, true)));
    }

    [Fact]
    public void Reads_a_tail_across_block_boundaries()
    {
        var text = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i} ünïcode\n"));
        Assert.Equal(Expected(text, 3000), Tail(text, 3000));
    }

    [Fact]
    public void Keeps_a_utf8_bom_out_of_the_first_line()
    {
        Assert.Equal(new[] { "x", "y" }, Tail("x\ny\n", 5, new UTF8Encoding(true)));
    }

    sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
