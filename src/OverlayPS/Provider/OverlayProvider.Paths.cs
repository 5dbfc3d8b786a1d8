namespace OverlayPS.Provider;

public sealed partial class OverlayProvider
{
    /// <summary>Any string without a NUL can name an entry in a Linux directory.</summary>
    protected override bool IsValidPath(string path) =>
        !string.IsNullOrEmpty(path) && path.IndexOf('\0') < 0;
}
