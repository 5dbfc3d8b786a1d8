namespace OverlayPS.Bench.Data;

/// <summary>
/// Stacks for the lookup case: an (empty) upper over N lowers that all hold /a/b, so a lookup
/// of /a/b/tNNNN has to ask every layer; the files exist only in the bottom layer. Each layer's
/// /a/b also holds 64 other names, so a lookup that reads directories instead of asking for
/// one name shows up as a cost that grows with them.
/// </summary>
public static class LookupStackGenerator
{
    public sealed record Stack(string Root, string Upper, IReadOnlyList<string> Lowers, string Work, string Mount);

    public const string Dir = "/a/b";
    public static string Target(int i) => $"{Dir}/t{i:D5}";

    public static Stack Generate(string root, int lowers, int files)
    {
        var lowerDirs = Enumerable.Range(1, lowers).Select(i => Path.Combine(root, $"{i}")).ToList();
        var upper = Path.Combine(root, "u");
        Directory.CreateDirectory(upper + Dir);
        for (int i = 0; i < lowers; i++)
        {
            Directory.CreateDirectory(lowerDirs[i] + Dir);
            for (int k = 0; k < 64; k++)
                File.WriteAllBytes($"{lowerDirs[i]}{Dir}/other{i}_{k}", Array.Empty<byte>());
        }
        for (int f = 0; f < files; f++)
            File.WriteAllBytes(lowerDirs[^1] + Target(f), "x"u8.ToArray());
        return new Stack(root, upper, lowerDirs, Path.Combine(root, "w"), Path.Combine(root, "m"));
    }
}
