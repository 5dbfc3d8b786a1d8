using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Provider;
using OverlayPS.Core.Posix;
using OverlayPS.Errors;
using OverlayPS.Items;

namespace OverlayPS.Provider;

/// <summary>
/// Get-ItemProperty / Set-ItemProperty: every <see cref="OverlayItem"/> property can be read;
/// mode, owner, group and times can be set (chmod, chown, utimes through the engine, which
/// copies a lower item up first, as the kernel does for any metadata change). The names a
/// FileInfo has (times, Attributes, IsReadOnly, UnixFileMode) go through the item's own
/// setters, so both ways of changing them are one code path.
/// </summary>
public sealed partial class OverlayProvider : IPropertyCmdletProvider
{
    static readonly string[] Settable = { "Mode", "UnixMode", "Owner", "Uid", "Group", "Gid", "LastWriteTime", "LastWriteTimeUtc",
        "LastAccessTime", "LastAccessTimeUtc", "Attributes", "IsReadOnly", "UnixFileMode" };

    public void GetProperty(string path, Collection<string>? providerSpecificPickList)
    {
        Guarded(path, "GetProperty", () =>
        {
            var (drive, union) = Locate(path);
            var e = drive.Union.Stat(union);
            string? target = e.Kind == FileKind.Symlink ? drive.Union.ReadLink(union) : null;
            var item = PSObject.AsPSObject(OverlayItem.For(e, drive.Name, target, drive.Union, names: drive.Names));
            var result = new PSObject();
            var names = providerSpecificPickList is { Count: > 0 }
                ? providerSpecificPickList
                : (IEnumerable<string>)item.Properties.Where(p => p.Name != "Entry").Select(p => p.Name).ToList();
            foreach (var name in names)
            {
                var matches = item.Properties.Match(name).Where(p => p.Name != "Entry").ToList();
                if (matches.Count == 0)
                {
                    WriteError(ErrorRecords.PropertyNotFound(name));
                    continue;
                }
                foreach (var m in matches)
                    result.Properties.Add(new PSNoteProperty(m.Name, m.Value));
            }
            if (result.Properties.Any()) // none found: the errors say so, no empty object
                WritePropertyObject(result, path);
        }, isRead: true);
    }

    public object? GetPropertyDynamicParameters(string path, Collection<string>? providerSpecificPickList) => null;

    public void SetProperty(string path, PSObject propertyValue)
    {
        Guarded(path, "SetProperty", () =>
        {
            var (drive, union) = Locate(path);
            var fs = drive.Union;
            var entry = fs.Stat(union);
            foreach (var prop in propertyValue.Properties)
            {
                var name = Settable.FirstOrDefault(s => s.Equals(prop.Name, StringComparison.OrdinalIgnoreCase));
                if (name == "IsReadOnly" && entry.IsDirectory)
                {
                    // As on FileSystem: a DirectoryInfo has no IsReadOnly (its category too).
                    WriteError(ErrorRecords.PropertyNotOnDirectory(prop.Name));
                    continue;
                }
                if (name is null)
                {
                    WriteError(ErrorRecords.PropertyNotSettable(prop.Name, Settable));
                    continue;
                }
                var value = prop.Value is PSObject p ? p.BaseObject : prop.Value;
                if (!ShouldProcess($"Item: {path} Property: {name} Value: {value}", "Set Property"))
                    continue;
                try
                {
                    SetOne(fs, entry, drive.Name, name, value);
                    entry = fs.Stat(union);
                }
                catch (Exception ex) when (ex is ArgumentException or PSInvalidCastException)
                {
                    WriteError(ErrorRecords.InvalidPropertyValue(ex, value));
                }
            }
            var changed = fs.Stat(union);
            string? target = changed.Kind == FileKind.Symlink ? fs.ReadLink(union) : null;
            WritePropertyObject(PSObject.AsPSObject(OverlayItem.For(changed, drive.Name, target, fs, names: drive.Names)), path);
        });
    }

    static void SetOne(Core.Union.IUnionFileSystem fs, Core.Union.UnionEntry entry, string drive, string name, object? value)
    {
        var st = entry.Stat;
        var item = OverlayItem.For(entry, drive, null, fs);
        switch (name)
        {
            case "Mode" or "UnixMode":
                fs.Chmod(entry.Path, ModeString.Parse(value) ?? throw new ArgumentException($"'{value}' is not a mode: use 755, 0644 or rwxr-xr-x."));
                break;
            case "Owner" or "Uid":
                var uid = Accounts.UserId(value?.ToString() ?? "") ?? throw new ArgumentException($"There is no user '{value}'.");
                fs.Chown(entry.Path, uid, st.Gid);
                break;
            case "Group" or "Gid":
                var gid = Accounts.GroupId(value?.ToString() ?? "") ?? throw new ArgumentException($"There is no group '{value}'.");
                fs.Chown(entry.Path, st.Uid, gid);
                break;
            case "LastWriteTime": item.LastWriteTime = ToDateTime(value); break;
            case "LastWriteTimeUtc": item.LastWriteTimeUtc = ToDateTime(value); break;
            case "LastAccessTime": item.LastAccessTime = ToDateTime(value); break;
            case "LastAccessTimeUtc": item.LastAccessTimeUtc = ToDateTime(value); break;
            case "Attributes": item.Attributes = LanguagePrimitives.ConvertTo<FileAttributes>(value); break;
            case "UnixFileMode": item.UnixFileMode = LanguagePrimitives.ConvertTo<UnixFileMode>(value); break;
            case "IsReadOnly": ((OverlayFileItem)item).IsReadOnly = LanguagePrimitives.ConvertTo<bool>(value); break;
        }
    }

    /// <summary>A date as PowerShell converts one ([datetime]'2001-02-03', a DateTimeOffset).</summary>
    static DateTime ToDateTime(object? value) => value switch
    {
        DateTime d => d,
        DateTimeOffset o => o.UtcDateTime,
        _ => LanguagePrimitives.TryConvertTo<DateTime>(value, out var d) ? d : throw new ArgumentException($"'{value}' is not a date and time."),
    };

    public object? SetPropertyDynamicParameters(string path, PSObject propertyValue) => null;

    public void ClearProperty(string path, Collection<string> propertyToClear)
    {
        WriteError(ErrorRecords.ClearPropertyNotSupported(path));
    }

    public object? ClearPropertyDynamicParameters(string path, Collection<string> propertyToClear) => null;
}
