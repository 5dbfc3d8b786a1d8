using OverlayPS.Core.Layers;

namespace OverlayPS.Errors;

/// <summary>Warnings about a stack that New-PSDrive and Mount-Overlay both give, worded once.</summary>
internal static class StackWarnings
{
    /// <summary>Layers carry marks of the xattr namespace the stack does not read (see ForeignMarks).</summary>
    public static string ForeignMarks(LayerStack stack, string marked) =>
        stack.XattrPrefix == "trusted."
            ? $"'{marked}' carries user.overlay.* marks (an overlay mounted with userxattr, such as rootless podman, wrote these layers), which a stack opened without -UserXattr does not read: opaque directories merge and xattr whiteouts show as empty files, so content the layers hide appears. Add -UserXattr to read them."
            : $"'{marked}' carries trusted.overlay.* marks (written by a root overlay mount), which a -UserXattr stack does not read: content the layers hide may appear. Open it without -UserXattr, as root.";
}
