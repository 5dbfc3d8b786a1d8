namespace OverlayPS.Items;

/// <summary>
/// How a name byte that is not UTF-8 shows in PowerShell. Core carries such a byte b as the
/// character U+DC00+b (Core.Posix.FileNames), so item paths round-trip exactly when piped.
/// On screen the console would print each as U+FFFD; views show it instead as PowerShell's own
/// escape <c>`u{DCxx}</c>, which is also how to type it back in a double-quoted string:
/// a file named "bad\xff" lists as <c>bad`u{DCFF}</c> and <c>Get-Item "ov:/bad`u{DCFF}"</c> finds it.
/// </summary>
public static class UndecodableBytes
{
    public static string Escape(string? name)
    {
        if (string.IsNullOrEmpty(name) || !Core.Posix.FileNames.HasRawBytes(name))
            return name ?? "";
        var sb = new System.Text.StringBuilder(name.Length + 16);
        foreach (var c in name)
        {
            if (c is >= '\uDC80' and <= '\uDCFF')
                sb.Append("`u{").Append(((int)c).ToString("X4")).Append('}');
            else
                sb.Append(c);
        }
        return sb.ToString();
    }
}
