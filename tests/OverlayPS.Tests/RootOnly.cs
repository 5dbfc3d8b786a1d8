using OverlayPS.Core.Posix;

namespace OverlayPS.Tests;

/// <summary>
/// Tests that need root (kernel mounts, trusted.* xattrs, mknod, the Docker fixture) call
/// <see cref="Require"/> first. Off CI they skip with the reason shown; with CI=true a missing
/// root is a failure, because a skipped root test there would hide a real regression.
/// Use with [SkippableFact]/[SkippableTheory].
/// </summary>
public static class RootOnly
{
    public static bool InCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Require(string what = "this test")
    {
        if (Files.IsRoot)
            return;
        var reason = $"{what} needs root (kernel overlay mounts, trusted.* xattrs, mknod); not root here";
        if (InCi)
            throw new InvalidOperationException(reason + ", and CI=true forbids skipping it.");
        Skip.If(true, reason);
    }
}
