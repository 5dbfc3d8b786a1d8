using OverlayPS.Core.Posix;
using OverlayPS.Core.Text;
using OverlayPS.Core.Union;

namespace OverlayPS.Items;

/// <summary>
/// How a drive names what its items' entries hold as numbers: the layer an item comes from
/// and its owner and group. A plain drive uses "upper"/"lowerN" and the host's accounts; a
/// Docker drive the store's names for its layers and the image's own accounts.
/// </summary>
public sealed class ItemNames
{
    public static readonly ItemNames Host = new(null, null);

    readonly IReadOnlyList<string>? _lowers;
    readonly AccountFiles? _accounts;

    /// <param name="lowers">A name per lower, topmost first; null for "lower1", "lower2"...</param>
    /// <param name="accounts">The tree's own accounts; null for the host's.</param>
    public ItemNames(IReadOnlyList<string>? lowers, AccountFiles? accounts)
    {
        _lowers = lowers;
        _accounts = accounts;
    }

    public string Layer(LayerRef layer) =>
        !layer.IsUpper && _lowers is { } names && layer.Index < names.Count ? names[layer.Index] : layer.Name;

    public string User(uint uid) => _accounts?.UserName(uid) ?? Accounts.UserName(uid);

    public string Group(uint gid) => _accounts?.GroupName(gid) ?? Accounts.GroupName(gid);
}
