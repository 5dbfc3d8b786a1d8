using OverlayPS.Core.Posix;
using OverlayPS.Items;

namespace OverlayPS.Tests.Provider;

public class ModeStringTests
{
    [Theory]
    [InlineData(FileKind.Regular, 0x1A4, "-rw-r--r--")]          // 0644
    [InlineData(FileKind.Directory, 0x1ED, "drwxr-xr-x")]        // 0755
    [InlineData(FileKind.Symlink, 0x1FF, "lrwxrwxrwx")]
    [InlineData(FileKind.Regular, 0x9ED, "-rwsr-xr-x")]          // 04755
    [InlineData(FileKind.Directory, 0x3FF, "drwxrwxrwt")]        // 01777
    [InlineData(FileKind.Regular, 0x5A4, "-rw-r-Sr--")]          // 02644: setgid without x
    [InlineData(FileKind.CharDevice, 0, "c---------")]
    [InlineData(FileKind.Fifo, 0x1A4, "prw-r--r--")]
    public void Formats_like_ls(FileKind kind, int mode, string expected) =>
        Assert.Equal(expected, ModeString.Format(kind, (uint)mode));

    [Theory]
    [InlineData("755", 0x1ED)]
    [InlineData("0644", 0x1A4)]
    [InlineData("rwxr-x---", 0x1E8)]
    [InlineData("-rw-r--r--", 0x1A4)]
    [InlineData("rwsr-xr-x", 0x9ED)]
    [InlineData("rwxrwxrwt", 0x3FF)]
    public void Parses_octal_and_symbolic(string text, int expected) =>
        Assert.Equal((uint)expected, ModeString.Parse(text));

    [Theory]
    [InlineData(644, 0x1A4)]     // Set-ItemProperty -Name Mode -Value 644: chmod's digits
    [InlineData(755, 0x1ED)]
    [InlineData(4755, 0x9ED)]
    [InlineData(0, 0)]
    [InlineData(448, 448)]       // an 8 or 9 in it: not octal digits, the bits themselves (0700)
    public void Reads_an_int_written_in_octal_digits_as_chmod_does(int value, int expected) =>
        Assert.Equal((uint)expected, ModeString.Parse(value));

    [Fact]
    public void Takes_a_uint_such_as_ModeBits_as_the_bits_themselves() =>
        Assert.Equal(420u, ModeString.Parse(420u));

    [Theory]
    [InlineData("rwx")]
    [InlineData("999")]
    [InlineData("rwxr-xr-q")]
    public void Rejects_what_is_not_a_mode(string text) => Assert.Null(ModeString.Parse(text));

    [Fact]
    public void Round_trips_every_permission_value()
    {
        for (uint m = 0; m <= 0xFFF; m++)
            Assert.Equal(m, ModeString.Parse(ModeString.Format(FileKind.Regular, m)));
    }
}
