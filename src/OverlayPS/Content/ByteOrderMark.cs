using System.Text;

namespace OverlayPS.Content;

/// <summary>
/// The encoding a file's byte order mark announces. Add-Content keeps writing a file in the
/// encoding its BOM names, whatever -Encoding says, as the FileSystem provider does (a UTF-16
/// file stays UTF-16 instead of getting UTF-8 bytes appended that would read as garbage).
/// </summary>
public static class ByteOrderMark
{
    /// <summary>The encoding for these first bytes of a file, or null when they hold no BOM.</summary>
    public static Encoding? EncodingOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(stackalloc byte[] { 0xFF, 0xFE, 0x00, 0x00 }))
            return new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        if (head.StartsWith(stackalloc byte[] { 0x00, 0x00, 0xFE, 0xFF }))
            return new UTF32Encoding(bigEndian: true, byteOrderMark: true);
        if (head.StartsWith(stackalloc byte[] { 0xEF, 0xBB, 0xBF }))
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        if (head.StartsWith(stackalloc byte[] { 0xFF, 0xFE }))
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        if (head.StartsWith(stackalloc byte[] { 0xFE, 0xFF }))
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true);
        return null;
    }

    /// <summary>The encoding the BOM at the start of a stream names (null: none, or empty).</summary>
    public static Encoding? Read(Stream stream)
    {
        var head = new byte[4];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return EncodingOf(head.AsSpan(0, n));
    }
}
