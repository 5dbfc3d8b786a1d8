using System.Collections.Concurrent;
using Mono.Unix.Native;

namespace OverlayPS.Core.Posix;

/// <summary>
/// User and group names for ids (getpwuid/getgrgid), as `ls -l` shows them. Cached: a listing
/// asks for the same few ids thousands of times. An id with no name reads as the number.
/// </summary>
public static class Accounts
{
    static readonly ConcurrentDictionary<uint, string> Users = new();
    static readonly ConcurrentDictionary<uint, string> Groups = new();

    public static string UserName(uint uid) =>
        Users.GetOrAdd(uid, id => Syscall.getpwuid(id)?.pw_name ?? id.ToString());

    public static string GroupName(uint gid) =>
        Groups.GetOrAdd(gid, id => Syscall.getgrgid(id)?.gr_name ?? id.ToString());

    /// <summary>A name or a number to an id; null when no such user exists.</summary>
    public static uint? UserId(string nameOrId)
    {
        if (uint.TryParse(nameOrId, out var id)) return id;
        return Syscall.getpwnam(nameOrId)?.pw_uid;
    }

    public static uint? GroupId(string nameOrId)
    {
        if (uint.TryParse(nameOrId, out var id)) return id;
        return Syscall.getgrnam(nameOrId)?.gr_gid;
    }
}
