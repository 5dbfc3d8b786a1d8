namespace OverlayPS.Core.Text;

/// <summary>
/// User and group names as one tree's own <c>/etc/passwd</c> and <c>/etc/group</c> give them:
/// what docker (and ls inside the container) shows for an image's files, where the host's
/// accounts would name uid 1000 after whoever has it on the host. An id the files do not name
/// is shown as its number, as ls does.
/// </summary>
public sealed class AccountFiles
{
    readonly Dictionary<uint, string> _users;
    readonly Dictionary<uint, string> _groups;

    AccountFiles(Dictionary<uint, string> users, Dictionary<uint, string> groups)
    {
        _users = users;
        _groups = groups;
    }

    /// <param name="passwd">The text of etc/passwd (name:x:uid:...), or null when there is none.</param>
    /// <param name="group">The text of etc/group (name:x:gid:...), or null when there is none.</param>
    public static AccountFiles Parse(string? passwd, string? group) => new(Ids(passwd), Ids(group));

    public string UserName(uint uid) => _users.TryGetValue(uid, out var n) ? n : uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string GroupName(uint gid) => _groups.TryGetValue(gid, out var n) ? n : gid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>name -> third field; the first line for an id wins, as getpwuid(3) reads the
    /// file top down. Comments, blank and malformed lines are skipped.</summary>
    static Dictionary<uint, string> Ids(string? text)
    {
        var ids = new Dictionary<uint, string>();
        if (text is null)
            return ids;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var f = line.Split(':');
            if (f.Length >= 3 && f[0].Length > 0 && uint.TryParse(f[2], out var id))
                ids.TryAdd(id, f[0]);
        }
        return ids;
    }
}
