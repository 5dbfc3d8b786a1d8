using System.Text.RegularExpressions;
using OverlayPS.Core.Docker;
using OverlayPS.Core.Posix;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>
    /// Images matching a reference the way a user types it: a tag ("app:1.0", "app" meaning
    /// "app:latest", "docker.io/library/app:1.0" meaning "app:1.0"), a repo digest
    /// ("app@sha256:..."), a full or short id (with or without "sha256:"), or a wildcard over
    /// tags, digests and ids ("app:*", "*tools*").
    /// </summary>
    public IEnumerable<DockerImage> FindImages(string reference)
    {
        if (HasWildcard(reference))
        {
            var rx = Wildcard(reference);
            return Images.Where(i => i.Tags.Any(t => rx.IsMatch(t)) || i.RepoDigests.Any(t => rx.IsMatch(t))
                || rx.IsMatch(i.Id) || rx.IsMatch(Digests.Hex(i.Id)));
        }
        var byTag = ImagesNamed(reference);
        if (byTag.Count > 0)
            return byTag;
        var hex = Digests.Hex(reference).ToLowerInvariant();
        if (hex.Length < 4 || !hex.All(Uri.IsHexDigit))
            return Array.Empty<DockerImage>();
        return Images.Where(i => Digests.Hex(i.Id).StartsWith(hex, StringComparison.Ordinal));
    }

    /// <summary>Images one of whose tags or repo digests is <paramref name="reference"/> as a
    /// user types it. Docker's rule by default: the familiar form, ":latest" when no tag.</summary>
    protected virtual IReadOnlyList<DockerImage> ImagesNamed(string reference)
    {
        var normal = ImageReferences.Normalize(reference);
        return Images.Where(i => i.Tags.Contains(normal) || i.RepoDigests.Contains(normal) || i.Tags.Contains(reference)).ToList();
    }

    /// <summary>Containers by name (with or without the leading "/"), id prefix, or wildcard.</summary>
    public IEnumerable<DockerContainer> FindContainers(string reference)
    {
        var name = reference.TrimStart('/');
        if (HasWildcard(name))
        {
            var rx = Wildcard(name);
            return Containers.Where(c => rx.IsMatch(c.Name) || rx.IsMatch(c.Id));
        }
        var byName = Containers.Where(c => c.Name == name).ToList();
        if (byName.Count > 0)
            return byName;
        if (name.Length < 4)
            return Array.Empty<DockerContainer>();
        return Containers.Where(c => c.Id.StartsWith(name, StringComparison.Ordinal));
    }

    /// <summary>Layers by cache id, link id, ChainID or DiffID (full, prefix, or wildcard).</summary>
    public IEnumerable<DockerLayer> FindLayers(string id)
    {
        if (HasWildcard(id))
        {
            var rx = Wildcard(id);
            return Layers.Where(l => rx.IsMatch(l.CacheId) || (l.LinkId is not null && rx.IsMatch(l.LinkId)));
        }
        var exact = Layers.Where(l => l.CacheId == id || l.LinkId == id || l.ChainId == id || l.DiffId == id).ToList();
        if (exact.Count > 0)
            return exact;
        var hex = Digests.Hex(id);
        if (hex.Length < 4)
            return Array.Empty<DockerLayer>();
        return Layers.Where(l => l.CacheId.StartsWith(hex, StringComparison.Ordinal)
            || (l.ChainId is not null && Digests.Hex(l.ChainId).StartsWith(hex, StringComparison.Ordinal))
            || (l.DiffId is not null && Digests.Hex(l.DiffId).StartsWith(hex, StringComparison.Ordinal)));
    }

    /// <summary>
    /// The path relative to the store root, or null when it is not inside. A data root is often
    /// moved and symlinked (/var/lib/docker -> /data/docker): when the plain comparison fails,
    /// an ancestor of the path that resolves to the same directory as the root counts as the
    /// root. Only ancestors are resolved, never the path itself, whose own symlinks (inside a
    /// layer) point at what the container would see, not at the store.
    /// </summary>
    protected string? PathInStore(string full)
    {
        var rel = Path.GetRelativePath(Root, full);
        if (!(rel == "." || rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel)))
            return rel;
        string realRoot;
        try { realRoot = RealPath.Resolve(Root); }
        catch (PosixException) { return null; }
        for (var a = Path.GetDirectoryName(full); a is not null && a != "/"; a = Path.GetDirectoryName(a))
        {
            string real;
            try { real = RealPath.Resolve(a); }
            catch (PosixException) { continue; }
            if (real == realRoot)
                return Path.GetRelativePath(a, full);
        }
        return null;
    }

    static bool HasWildcard(string s) => s.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    /// <summary>PowerShell's wildcards (*, ?, [set]) as a regex; a pattern whose brackets do not
    /// close ("a[") is matched literally rather than failing with a regex parse error.</summary>
    static Regex Wildcard(string pattern)
    {
        try
        {
            return new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".").Replace(@"\[", "[") + "$",
                RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return new("^" + Regex.Escape(pattern) + "$", RegexOptions.CultureInvariant);
        }
    }
}
