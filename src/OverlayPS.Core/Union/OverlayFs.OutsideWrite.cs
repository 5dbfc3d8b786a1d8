namespace OverlayPS.Core.Union;

/// <summary>
/// A change made to this stack's upper by other Core code (a layer import, Archive/) rather
/// than by the engine's own write calls: it runs as one write, so the directory cache is
/// emptied before and after it and no directory resolved before it is used again.
/// </summary>
public sealed partial class OverlayFs
{
    public T AsOneWrite<T>(Func<T> change)
    {
        using (BeginWrite())
            return change();
    }
}
