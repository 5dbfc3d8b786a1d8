using System.Text;
using OverlayPS.Core.Posix;

namespace OverlayPS.Tests.Union;

/// <summary>
/// Writes one layer dir: files, dirs, links, whiteouts, overlay marks, owners, modes and times.
/// The one writer of test stacks: named tests call it through <see cref="Layers"/>, generated
/// stacks (Differential's StackSpec) through StackMaterializer. Parents are made as needed.
/// </summary>
public sealed class LayerBuilder
{
    readonly string _prefix;
    public string Root { get; }

    public LayerBuilder(string root, string xattrPrefix = "trusted.")
    {
        Root = root;
        _prefix = xattrPrefix;
        Directory.CreateDirectory(root);
    }

    public string P(string rel) => Path.Combine(Root, rel.TrimStart('/'));

    public LayerBuilder File(string rel, string content = "", uint mode = 0x1A4)
    {
        Parent(rel);
        System.IO.File.WriteAllText(P(rel), content);
        Files.Chmod(P(rel), mode);
        return this;
    }

    public LayerBuilder Bytes(string rel, byte[] content)
    {
        Parent(rel);
        System.IO.File.WriteAllBytes(P(rel), content);
        return this;
    }

    public LayerBuilder Dir(string rel, uint mode = 0x1ED)
    {
        Parent(rel);
        Directory.CreateDirectory(P(rel));
        Files.Chmod(P(rel), mode);
        return this;
    }

    public LayerBuilder Symlink(string rel, string target)
    {
        Parent(rel);
        Files.Symlink(target, P(rel));
        return this;
    }

    public LayerBuilder HardLink(string rel, string existingRel)
    {
        Parent(rel);
        Files.Link(P(existingRel), P(rel));
        return this;
    }

    public LayerBuilder Fifo(string rel, uint mode = 0x1A4)
    {
        Parent(rel);
        Files.MkNod(P(rel), FileKind.Fifo, mode);
        return this;
    }

    /// <summary>The kernel's whiteout: char 0/0.</summary>
    public LayerBuilder Whiteout(string rel)
    {
        Parent(rel);
        Files.MakeWhiteout(P(rel));
        return this;
    }

    /// <summary>An empty file marked overlay.whiteout (its dir needs <see cref="XWhiteoutDir"/>).</summary>
    public LayerBuilder XattrWhiteout(string rel)
    {
        File(rel);
        Xattrs.Set(P(rel), _prefix + "overlay.whiteout", "y");
        return this;
    }

    /// <summary>Marks a dir (made if missing) overlay.opaque: "y" hides the layers below, "x"
    /// says it holds xattr whiteouts.</summary>
    public LayerBuilder Opaque(string rel, string value = "y")
    {
        if (!Directory.Exists(P(rel)))
            Dir(rel);
        Xattrs.Set(P(rel), _prefix + "overlay.opaque", value);
        return this;
    }

    public LayerBuilder XWhiteoutDir(string rel) => Opaque(rel, "x");

    public LayerBuilder Xattr(string rel, string name, string value) =>
        Xattr(rel, name, Encoding.UTF8.GetBytes(value));

    public LayerBuilder Xattr(string rel, string name, byte[] value)
    {
        Xattrs.Set(P(rel), name, value);
        return this;
    }

    /// <summary>lchown. Before <see cref="Mode"/>: a chown clears setuid and setgid.</summary>
    public LayerBuilder Owner(string rel, uint uid, uint gid)
    {
        Files.LChown(P(rel), uid, gid);
        return this;
    }

    public LayerBuilder Mode(string rel, uint mode)
    {
        Files.Chmod(P(rel), mode);
        return this;
    }

    /// <summary>Access and modify time, of a link itself. Last: every create in a dir stamps it.</summary>
    public LayerBuilder Times(string rel, PosixTime time)
    {
        Files.LUTimes(P(rel), time, time);
        return this;
    }

    void Parent(string rel)
    {
        var dir = Path.GetDirectoryName(P(rel));
        if (dir is not null)
            Directory.CreateDirectory(dir);
    }
}
