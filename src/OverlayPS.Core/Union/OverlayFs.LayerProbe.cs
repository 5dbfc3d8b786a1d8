using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Union;

public sealed partial class OverlayFs
{
    /// <summary>
    /// Where a lookup asks next, layer after layer (ovl_lookup's loop and ovl_lookup_layer):
    /// first the parent's own copies, by the name; after a relative redirect, the parent's
    /// copies below by the redirected name; after an absolute one ("/a/b"), every layer below
    /// the one that holds it, from that layer's root, one held component at a time (a missing
    /// component skips the layer; a whiteout or a non-directory on the way ends the lookup, an
    /// opaque directory on the way makes that layer the last, as in ovl_lookup_single).
    /// </summary>
    sealed class LayerProbe
    {
        readonly OverlayFs _fs;
        readonly DirHit[] _hits;
        int _next;                  // next parent hit (relative mode)
        string _leaf;
        string[]? _absolute;        // the components of an absolute redirect
        int _nextLayer;             // next stack layer (absolute mode)
        bool _stopAfterThis;
        int _probed;

        public LayerProbe(OverlayFs fs, DirHit[] hits, int start, string name)
        {
            _fs = fs;
            _hits = hits;
            _next = start;
            _leaf = name;
        }

        /// <summary>True while the first place asked is the current one.</summary>
        public bool IsFirst => _probed == 1;

        /// <summary>The current place is the parent's last layer (a directory there is not
        /// read for marks that only matter with layers below).</summary>
        public bool IsLastOfParent { get; private set; }

        public bool Next(out DirHandle dir, out UnionLayer layer, out string leaf, out bool lastLayer)
        {
            while (!_stopAfterThis)
            {
                if (_absolute is null)
                {
                    if (_next >= _hits.Length)
                        break;
                    var h = _hits[_next++];
                    IsLastOfParent = _next == _hits.Length;
                    return Yield(h.Dir, h.Layer, out dir, out layer, out leaf, out lastLayer);
                }
                if (_nextLayer >= _fs._layers.Length)
                    break;
                var l = _fs._layers[_nextLayer++];
                IsLastOfParent = _nextLayer == _fs._layers.Length;
                var parentDir = WalkToParent(l);
                if (parentDir is null)
                    continue;
                return Yield(parentDir, l, out dir, out layer, out leaf, out lastLayer);
            }
            dir = null!;
            layer = null!;
            leaf = "";
            lastLayer = false;
            return false;
        }

        bool Yield(DirHandle d, UnionLayer l, out DirHandle dir, out UnionLayer layer, out string leaf, out bool lastLayer)
        {
            _probed++;
            dir = d;
            layer = l;
            leaf = _leaf;
            // d.last: the stack's bottom layer when redirects are followed, else the parent's.
            lastLayer = _fs.FollowsRedirects ? l == _fs._layers[^1] : IsLastOfParent;
            return true;
        }

        /// <summary>Takes an overlay.redirect value found in <paramref name="at"/> into account
        /// for the layers below it. An empty or malformed value is ignored, as the kernel
        /// treats one as invalid.</summary>
        public void Redirect(byte[]? value, UnionLayer at)
        {
            if (value is not { Length: > 0 } || Array.IndexOf(value, (byte)0) >= 0)
                return;
            var text = FileNames.Decode(value);
            if (text[0] == '/')
            {
                var parts = text.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
                    return;
                _absolute = parts;
                _leaf = parts[^1];
                _nextLayer = Array.IndexOf(_fs._layers, at) + 1;
                _stopAfterThis = false;
            }
            else if (!text.Contains('/') && text is not ("." or ".."))
            {
                if (_absolute is null)
                    _leaf = text;
                else
                {
                    _absolute[^1] = text;
                    _leaf = text;
                }
            }
        }

        /// <summary>The directory of <paramref name="l"/> that holds the absolute path's last
        /// component, walked from the layer's root; null when a component is missing there.</summary>
        DirHandle? WalkToParent(UnionLayer l)
        {
            var dir = l.RootDir;
            for (int k = 0; k < _absolute!.Length - 1; k++)
            {
                var part = _absolute[k];
                if (!dir.TryStat(part, out var st))
                    return null;
                if (!st.IsDirectory || st.IsCharDevice00)
                {
                    _nextLayer = _fs._layers.Length;     // a whiteout or a file on the way: stop
                    return null;
                }
                if (!dir.TryOpenDir(part, out var sub, out _))
                    return null;
                dir = sub;
                var mark = LayerMarks.Mark(dir, "", _fs._opaqueXattr);
                if (mark is { Length: 1 } && mark[0] == (byte)'y')
                    _stopAfterThis = true;      // this layer's copy is the last one asked
            }
            if (_stopAfterThis)
            {
                // Asked here, then no further (the flag ends the loop on the next call).
                _nextLayer = _fs._layers.Length;
                _stopAfterThis = false;
            }
            return dir;
        }
    }
}
