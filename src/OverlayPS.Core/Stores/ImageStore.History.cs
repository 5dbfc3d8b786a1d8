using OverlayPS.Core.Docker;

namespace OverlayPS.Core.Stores;

public abstract partial class ImageStore
{
    /// <summary>Layer descriptions from the image history: the first image holding a layer
    /// says which step made it (every image sharing a ChainID shares the steps below it).</summary>
    internal static void DescribeLayersFromHistory(IEnumerable<DockerImage> images)
    {
        foreach (var img in images)
            foreach (var step in img.History)
                if (step.Layer is { CreatedBy: null, Comment: null } l)
                {
                    l.CreatedBy = step.CreatedBy;
                    l.Comment = step.Comment;
                    l.Created = step.Created;
                }
    }
}
