using System.Management.Automation;
using System.Reflection;
using OverlayPS.Errors;

namespace OverlayPS.Provider;

/// <summary>
/// Dynamic parameters that PowerShell bound for the FileSystem provider and then handed to this
/// one. A switch written before the path (`Get-Content -Raw ov:/f`, `Get-ChildItem -Hidden
/// ov:/`) is bound while the path is still unknown, so PowerShell asks the provider of the
/// current location (usually FileSystem) for its parameters and passes that object to the
/// drive. Without this the switch was silently ignored. Same-named values are taken over; a
/// FileSystem-only switch that was given is refused, as it is when the path comes first.
/// </summary>
static class ForeignParameters
{
    /// <param name="given">Whether a source property counts as given (default <see cref="IsGiven"/>;
    /// FileSystem's Encoding and Delimiter have flags of their own).</param>
    public static T? Adopt<T>(object? bound, Func<object, string, bool>? given = null) where T : class, new()
    {
        // Only the FileSystem counterpart of T: a provider method is also called for other
        // cmdlets (ItemExists under Copy-Item), whose parameters are not meant for it.
        if (bound is null or T || !Counterparts.TryGetValue(typeof(T), out var foreign) || bound.GetType().FullName != foreign)
            return bound as T;
        var ours = new T();
        foreach (var source in bound.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (source.GetCustomAttribute<ParameterAttribute>() is null || source.GetIndexParameters().Length > 0)
                continue;
            if (!(given ?? IsGiven)(bound, source.Name))
                continue;
            var value = source.GetValue(bound);
            var target = typeof(T).GetProperty(source.Name, BindingFlags.Public | BindingFlags.Instance);
            if (target is null || !target.CanWrite)
                throw new PSArgumentException(
                    $"The parameter '-{source.Name}' of the FileSystem provider is not offered on an Overlay drive.", source.Name);
            target.SetValue(ours, LanguagePrimitives.ConvertTo(value, target.PropertyType));
        }
        return ours;
    }

    static readonly Dictionary<Type, string> Counterparts = new()
    {
        [typeof(Content.ContentReaderParameters)] = "Microsoft.PowerShell.Commands.FileSystemContentReaderDynamicParameters",
        [typeof(Content.ContentWriterParameters)] = "Microsoft.PowerShell.Commands.FileSystemContentWriterDynamicParameters",
        [typeof(OverlayItemExistsParameters)] = "Microsoft.PowerShell.Commands.FileSystemItemProviderDynamicParameters",
        [typeof(OverlayChildItemParameters)] = "Microsoft.PowerShell.Commands.GetChildDynamicParameters",
    };

    /// <summary>A present switch, or any value that is not null.</summary>
    public static bool IsGiven(object bound, string name) =>
        bound.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(bound) switch
        {
            null => false,
            SwitchParameter s => s.IsPresent,
            _ => true,
        };
}

public sealed partial class OverlayProvider
{
    /// <summary>This call's dynamic parameters as <typeparamref name="T"/>, taken over from the
    /// FileSystem provider's when PowerShell bound those (see <see cref="ForeignParameters"/>);
    /// a FileSystem-only parameter ends the command with an error naming it.</summary>
    T? Bound<T>(Func<object?, T?>? adopt = null) where T : class, new()
    {
        try { return (adopt ?? (o => ForeignParameters.Adopt<T>(o)))(DynamicParameters); }
        catch (PSArgumentException e)
        {
            ThrowTerminatingError(ErrorRecords.ParameterNotOffered(e));
            return null;
        }
    }
}
