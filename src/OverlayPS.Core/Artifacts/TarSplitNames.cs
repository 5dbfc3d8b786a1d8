namespace OverlayPS.Core.Artifacts;

/// <summary>
/// Tar names of a tar-split file, as paths beneath a layer's diff dir. Checked before any file is
/// opened with them: an absolute name, a ".." component or a NUL is refused outright (docker
/// never stores one; a planted one would name a host file), never cleaned into something else.
/// </summary>
public static class TarSplitNames
{
    /// <summary>
    /// The path beneath the layer a tar name stands for: "./" and empty components dropped, a
    /// trailing "/" (directories) dropped; "" for the layer root itself. Null when the name is
    /// not safe to use, with the reason.
    /// </summary>
    public static string? ToRelative(string name, out string? refusal)
    {
        refusal = null;
        if (name.Length == 0)
            refusal = "an empty name";
        else if (name[0] == '/')
            refusal = "an absolute name";
        else if (name.Contains('\0'))
            refusal = "a name holding NUL";
        if (refusal is not null)
            return null;
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                refusal = "a '..' component";
                return null;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }
}
