using System.Management.Automation;
using OverlayPS.Core.Docker;

namespace OverlayPS.Commands;

/// <summary>What a piped object names in a Docker store.</summary>
public enum PipedKind { Container, Image, Layer }

/// <summary>
/// A container, image or layer object (or a change, path step or waste report naming one) coming down the pipeline, live or deserialized
/// (Import-Clixml, a job, a remoting session hand over a property bag typed
/// "Deserialized.OverlayPS.Core.Docker.DockerContainer"): reduced to the store it came from and
/// its whole id, which is all it takes to find it again.
/// </summary>
public sealed record PipedStoreObject(PipedKind Kind, string? Store, string Id)
{
    const string Ns = "OverlayPS.Core.Docker.";

    /// <summary>The store object the input stands for; null for anything else (a name, a path).</summary>
    public static PipedStoreObject? From(object? input)
    {
        var pso = input as PSObject;
        switch (pso?.BaseObject ?? input)
        {
            case DockerContainer c: return new(PipedKind.Container, c.Store, c.Id);
            case DockerImage i: return new(PipedKind.Image, i.Store, i.Id);
            case DockerLayer l: return new(PipedKind.Layer, l.Store, l.CacheId);
            case LayerChange c when c.Store is not null: return new(PipedKind.Layer, c.Store, c.Layer);
            case PathLayerStep s when s.Store is not null: return new(PipedKind.Layer, s.Store, s.LayerId);
            case ImageWaste w: return new(PipedKind.Image, w.Store, w.ImageId);
        }
        if (pso is null)
            return null;
        foreach (var typeName in pso.TypeNames)
        {
            var name = typeName;
            while (name.StartsWith("Deserialized.", StringComparison.Ordinal))   // sent on again: a job's result into a remote call
                name = name["Deserialized.".Length..];
            (PipedKind Kind, string IdProperty)? what = name switch
            {
                Ns + nameof(DockerContainer) => (PipedKind.Container, "Id"),
                Ns + nameof(DockerImage) => (PipedKind.Image, "Id"),
                Ns + nameof(DockerLayer) => (PipedKind.Layer, nameof(DockerLayer.CacheId)),
                Ns + nameof(LayerChange) => (PipedKind.Layer, nameof(LayerChange.Layer)),
                Ns + nameof(PathLayerStep) => (PipedKind.Layer, nameof(PathLayerStep.LayerId)),
                Ns + nameof(ImageWaste) => (PipedKind.Image, nameof(ImageWaste.ImageId)),
                _ => null,
            };
            if (what is not { } w)
                continue;
            var id = pso.Properties[w.IdProperty]?.Value?.ToString();
            if (string.IsNullOrEmpty(id))
                return null;
            return new(w.Kind, pso.Properties[nameof(DockerImage.Store)]?.Value?.ToString(), id);
        }
        return null;
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Digests.Short(Id)}";
}
