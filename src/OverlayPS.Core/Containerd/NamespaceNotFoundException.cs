namespace OverlayPS.Core.Containerd;

/// <summary>-Namespace names no namespace of the containerd store, or was given for a store that
/// has none (overlay2, containers-storage): the message lists what there is.</summary>
public sealed class NamespaceNotFoundException : ArgumentException
{
    public string? Namespace { get; }

    public NamespaceNotFoundException(string? ns, string message) : base(message) => Namespace = ns;
}
