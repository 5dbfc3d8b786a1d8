using System.Globalization;

namespace OverlayPS.Core.Docker;

/// <summary>
/// Sizes as docker prints them in <c>docker images</c> and <c>docker ps -s</c> (go-units
/// HumanSizeWithPrecision(size, 3)): decimal units (1 kB = 1000 B) and three significant
/// digits, "3.03MB", "157B". Objects keep bytes; the views show this.
/// </summary>
public static class ByteSize
{
    static readonly string[] Units = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };

    public static string Format(long? bytes)
    {
        if (bytes is null)
            return "";
        double size = bytes.Value;
        int unit = 0;
        while (size >= 1000 && unit < Units.Length - 1)
        {
            size /= 1000;
            unit++;
        }
        // Go's %.3g; .NET's G3 writes the same digits, with "E+03" for Go's "e+03".
        return size.ToString("G3", CultureInfo.InvariantCulture).Replace("E", "e") + Units[unit];
    }
}
