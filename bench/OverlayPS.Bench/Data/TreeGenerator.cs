using OverlayPS.Core.Posix;

namespace OverlayPS.Bench.Data;

/// <summary>
/// A deterministic merged tree for the listing cases: an upper over N lowers, two levels of
/// directories (/dNNN/sNNN) that exist in several layers and merge, about 58 names per leaf
/// directory of which some exist in two layers (overlaps, the upper copy wins), plus
/// whiteouts hiding lower names, a few opaque leaf dirs and symlinks. The same seed always
/// gives the same tree, so runs on different days compare.
/// </summary>
public static class TreeGenerator
{
    public sealed record Tree(string Root, string Upper, IReadOnlyList<string> Lowers, long FilesWritten);

    const int NamesPerLeaf = 58;
    static readonly byte[] Content = "overlay bench payload\n"u8.ToArray();

    public static Tree Generate(string root, int lowers, int mergedEntries, string trustedPrefix, int seed = 7)
    {
        var rnd = new Random(seed);
        // layers[0] is the upper, layers[1..] the lowers topmost first (lowerdir= order).
        var layers = new List<string> { Path.Combine(root, "upper") };
        for (int i = 1; i <= lowers; i++) layers.Add(Path.Combine(root, $"lower{i}"));
        foreach (var l in layers) Directory.CreateDirectory(l);

        int leaves = Math.Max(1, mergedEntries / (NamesPerLeaf + 2));
        int tops = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(leaves)));
        long written = 0;
        var holders = new List<int>(layers.Count);

        for (int leaf = 0; leaf < leaves; leaf++)
        {
            string rel = $"/d{leaf % tops:D3}/s{leaf / tops:D3}";
            holders.Clear();
            for (int l = 0; l < layers.Count; l++)
                if (rnd.NextDouble() < 0.35) holders.Add(l);
            if (holders.Count == 0) holders.Add(rnd.Next(layers.Count));
            foreach (var l in holders) Directory.CreateDirectory(layers[l] + rel);

            // A few leaf dirs are opaque in their topmost holder: everything below is hidden.
            bool opaque = holders.Count >= 2 && rnd.NextDouble() < 0.02;
            if (opaque)
                Xattrs.Set(layers[holders[0]] + rel, trustedPrefix + "overlay.opaque", "y");

            for (int k = 0; k < NamesPerLeaf; k++)
            {
                int top = holders[rnd.Next(holders.Count)];
                string name = $"/f{k:D3}.txt";
                if (rnd.NextDouble() < 0.02 && k > 0)
                    Files.Symlink("f000.txt", layers[top] + rel + name);
                else
                    File.WriteAllBytes(layers[top] + rel + name, Content.AsSpan(0, k % Content.Length).ToArray());
                written++;
                // Overlap: the same name lower down, hidden by the copy above.
                var below = holders.Where(h => h > top).ToList();
                if (below.Count > 0 && rnd.NextDouble() < 0.3)
                {
                    File.WriteAllBytes(layers[below[rnd.Next(below.Count)]] + rel + name, Content);
                    written++;
                }
            }
            // Whiteouts: a name in a lower holder, deleted by a whiteout in a higher one. Not in
            // an opaque dir: the kernel's readdir of an opaque dir made outside the mount lists
            // its whiteouts by name (lstat then says ENOENT), which would skew the counts.
            if (holders.Count >= 2 && !opaque)
            {
                int gone = 1 + rnd.Next(3);
                for (int g = 0; g < gone; g++)
                {
                    File.WriteAllBytes(layers[holders[^1]] + rel + $"/gone{g}.txt", Content);
                    Files.MakeWhiteout(layers[holders[0]] + rel + $"/gone{g}.txt");
                    written += 2;
                }
            }
        }
        return new Tree(root, layers[0], layers.Skip(1).ToList(), written);
    }
}
