namespace OverlayPS.Core.Union;

/// <summary>
/// A path inside a union, in the one form every layer of the product uses: "/"-rooted, single
/// separators, no trailing separator, no "." components ("/", "/etc/hosts"). Made once where a
/// path comes in (a drive path, a -Path of a store cmdlet) and joined by <see cref="Join"/>.
/// ".." stays a component in <see cref="Parse"/>: the engine resolves it after any symlink met
/// on the way, as the kernel's path walk does. <see cref="ParseLexical"/> applies it by name,
/// stopping at the root (PowerShell's own path rules for drive paths, and store views that
/// follow no link at all).
/// </summary>
public readonly record struct UnionPath
{
    UnionPath(string value) => Value = value;

    public string Value { get; }

    public static UnionPath Root { get; } = new("/");

    public bool IsRoot => Value == "/";

    /// <summary>The last component ("" for the root).</summary>
    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The parent, or null for the root.</summary>
    public UnionPath? Parent
    {
        get
        {
            if (IsRoot)
                return null;
            int i = Value.LastIndexOf('/');
            return new UnionPath(i <= 0 ? "/" : Value[..i]);
        }
    }

    public string[] Components => Value.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public UnionPath Child(string name)
    {
        RequireName(name);
        return new UnionPath(Join(Value, name));
    }

    /// <summary>Any path, relative ones taken from the root; "." components dropped, ".." kept.
    /// A NUL is kept too: the engine refuses such a path with EINVAL, the error its callers
    /// already report for every path the kernel could not take.</summary>
    public static UnionPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".");
        return new UnionPath("/" + string.Join('/', parts));
    }

    /// <summary>Any path with ".." applied by name and stopped at the root ("/../a" is "/a").</summary>
    public static UnionPath ParseLexical(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (var c in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (c == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (c != ".")
                parts.Add(c);
        }
        return new UnionPath("/" + string.Join('/', parts));
    }

    /// <summary>A name below a directory path already in this form, for hot loops that keep
    /// strings (listings, scans).</summary>
    public static string Join(string directory, string name) =>
        directory == "/" ? "/" + name : directory + "/" + name;

    public override string ToString() => Value;

    static void RequireName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
            throw new ArgumentException($"'{name}' is not a single name.", nameof(name));
    }
}
