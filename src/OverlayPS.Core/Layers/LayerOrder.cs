using System.Collections.ObjectModel;

namespace OverlayPS.Core.Layers;

// Two orders of layers meet in this tree, and a list that does not say which it holds is a bug
// waiting for the next caller (a lookup walked base first finds the oldest copy of a file).
// Each list of layers is one of these two types, so the order is in the signature, and the
// only way from one to the other is the conversion below: no bare Reverse() at a boundary.
// Both are read-only lists (IList included), so PowerShell indexes them, negative indices too.
//
// - TopmostFirst: the kernel's order. lowerdir= lists lowers topmost first, a lookup walks
//   them in that order and stops at the first that has the name; the engine, LayerStack,
//   overlay2's "lower" file and every mount use it.
// - BaseFirst: the image's order. RootFS.DiffIDs, docker history, chain ids and layer
//   positions ("layer 1" is the base) count from the bottom; the store model and the
//   per-layer views (changes, path history, waste) use it.

/// <summary>Layers listed topmost first: the kernel's <c>lowerdir=</c> order, the order a lookup walks.</summary>
public sealed class TopmostFirst<T> : ReadOnlyCollection<T>
{
    public TopmostFirst(IEnumerable<T> itemsTopmostFirst) : base(itemsTopmostFirst.ToArray()) { }

    public static new TopmostFirst<T> Empty { get; } = new(Array.Empty<T>());

    /// <summary>The same layers, base first.</summary>
    public BaseFirst<T> ToBaseFirst() => new(Items.Reverse());
}

/// <summary>Layers listed base first: the image's order (RootFS.DiffIDs, history, "layer 1" is the base).</summary>
public sealed class BaseFirst<T> : ReadOnlyCollection<T>
{
    public BaseFirst(IEnumerable<T> itemsBaseFirst) : base(itemsBaseFirst.ToArray()) { }

    public static new BaseFirst<T> Empty { get; } = new(Array.Empty<T>());

    /// <summary>The same layers, topmost first.</summary>
    public TopmostFirst<T> ToTopmostFirst() => new(Items.Reverse());
}
