using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Podman;

public sealed partial class PodmanStore
{
    /// <summary>
    /// Images named as podman resolves a name given by hand: the full name as stored
    /// ("localhost/fixture/base:latest"), ":latest" when no tag or digest is given, and a short
    /// name ("fixture/base") completed with the registries podman tries for local images:
    /// localhost/ (what podman build, commit and import name), docker.io/ and docker.io/library/.
    /// </summary>
    protected override IReadOnlyList<DockerImage> ImagesNamed(string reference)
    {
        var last = reference[(reference.LastIndexOf('/') + 1)..];
        var tagged = last.Contains(':') || reference.Contains('@') ? reference : reference + ":latest";
        var forms = new HashSet<string>(StringComparer.Ordinal) { reference, tagged };
        foreach (var prefix in new[] { "localhost/", "docker.io/", "docker.io/library/" })
            forms.Add(prefix + tagged);
        return Images.Where(i => i.Tags.Any(forms.Contains) || i.RepoDigests.Any(forms.Contains)).ToList();
    }
}
