namespace OverlayPS.Bench.Data;

/// <summary>A large lower file with real (non-sparse) deterministic content for copy-up.</summary>
public static class BigFile
{
    public static void Write(string path, long bytes)
    {
        var buf = new byte[1 << 20];
        new Random(11).NextBytes(buf);
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long done = 0; done < bytes; done += buf.Length)
            fs.Write(buf, 0, (int)Math.Min(buf.Length, bytes - done));
    }
}
