using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace OverlayPS.Loading;

/// <summary>
/// Loads Mono.Posix (managed dll and its native libMonoPosixHelper.so) for the architecture
/// pwsh runs on, from <c>bin/runtimes/&lt;rid&gt;/</c>: the module carries linux-x64 and
/// linux-arm64 side by side, and pwsh would look for a dependency only beside OverlayPS.dll
/// (and for a native library not even there). Runs at Import-Module, before any Core code
/// that names Mono.Posix is compiled.
/// </summary>
public sealed class NativeHelpers : IModuleAssemblyInitializer
{
    const string MonoPosix = "Mono.Posix.NETStandard";
    const string NativeName = "MonoPosixHelper";
    static int _registered;

    public void OnImport()
    {
        // Once per process: a second Import-Module -Force reuses the loaded assembly.
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            AssemblyLoadContext.Default.Resolving += Resolve;
    }

    static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != MonoPosix)
            return null;
        var dir = RidDirectory();
        var assembly = context.LoadFromAssemblyPath(Path.Combine(dir, MonoPosix + ".dll"));
        NativeLibrary.SetDllImportResolver(assembly, (library, _, _) =>
            library.Contains(NativeName, StringComparison.Ordinal)
                ? NativeLibrary.Load(Path.Combine(dir, "lib" + NativeName + ".so"))
                : IntPtr.Zero);
        return assembly;
    }

    /// <summary>bin/runtimes/linux-x64 or bin/runtimes/linux-arm64, as the process runs.</summary>
    public static string RidDirectory() =>
        Path.Combine(Path.GetDirectoryName(typeof(NativeHelpers).Assembly.Location)!, "runtimes", RuntimeIdentifier);

    public static string RuntimeIdentifier => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var other => throw new PlatformNotSupportedException(
            $"OverlayPS carries its native helper for linux-x64 and linux-arm64, not for {other}."),
    };
}
