using System.Diagnostics;
using System.Security.Cryptography;
using OverlayPS.Core.Posix;
using OverlayPS.Core.Union;

namespace OverlayPS.Tests.Union;

/// <summary>Child processes inherit any descriptor another test opened without O_CLOEXEC
/// (e.g. on a kernel mount, which then cannot be unmounted): these run alone.</summary>
[CollectionDefinition("ChildProcesses", DisableParallelization = true)]
public sealed class ChildProcessesCollection { }

/// <summary>
/// Copy-up under real process death and real contention, with a separate child process
/// (tests/OverlayPS.TestChild) doing the copy-up through the engine.
/// </summary>
[Collection("ChildProcesses")]
public class CrashAndRaceTests : IDisposable
{
    const long BigSize = 256L << 20;
    readonly Layers _l = new();
    public void Dispose() => _l.Dispose();

    static string ChildDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("/OverlayPS.Tests/bin/", "/OverlayPS.TestChild/bin/"),
            "OverlayPS.TestChild.dll");
        Assert.True(File.Exists(dll), $"the child process is built beside the tests: {dll}");
        return dll;
    }

    Process StartChild(string unionPath, string text, string? goFile = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { ChildDll(), "append", _l.L1.Root, _l.U.Root, _l.Work, unionPath, text })
            psi.ArgumentList.Add(a);
        if (goFile is not null)
            psi.ArgumentList.Add(goFile);
        var p = Process.Start(psi)!;
        Assert.Equal("ready", p.StandardOutput.ReadLine());
        return p;
    }

    /// <summary>A big lower file of real (non-sparse) data, so the copy takes a while.</summary>
    string MakeBigLowerFile(string rel)
    {
        var path = _l.L1.P(rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var block = new byte[1 << 20];
        new Random(42).NextBytes(block);
        using (var f = File.Create(path))
        {
            for (long done = 0; done < BigSize; done += block.Length)
                f.Write(block);
        }
        return Hash(path);
    }

    static string Hash(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f));
    }

    string[] WorkLeftovers() =>
        Directory.Exists(Path.Combine(_l.Work, "work"))
            ? Directory.GetFileSystemEntries(Path.Combine(_l.Work, "work")).Select(n => Path.GetFileName(n)).ToArray()
            : Array.Empty<string>();

    [SkippableFact]
    public void A_copy_up_killed_midway_leaves_no_partial_file_and_is_cleaned_on_next_open()
    {
        RootOnly.Require();
        var lowerHash = MakeBigLowerFile("dir/big");
        string upperFile = _l.U.P("dir/big");
        // Stop the child the moment its copy exists in the work dir and is still short of the
        // full size; a copy that finished first is retried, never counted as a pass.
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 5, "could not catch the copy-up midway in 5 attempts");
            var child = StartChild("/dir/big", "tail");
            string? temp = null;
            long seen = 0;
            while (!child.HasExited)
            {
                temp = WorkLeftovers().FirstOrDefault(n => n.StartsWith($"#ovlps.{child.Id}.") && File.Exists(Path.Combine(_l.Work, "work", n)));
                if (temp is not null && Files.TryLStat(Path.Combine(_l.Work, "work", temp), out var st) && st.Size > 0)
                {
                    child.Kill();           // SIGKILL: no cleanup code runs
                    seen = st.Size;
                    break;
                }
            }
            child.WaitForExit();
            if (temp is null || seen == 0)
            {
                ResetUpper();
                continue;
            }
            var after = Files.LStat(Path.Combine(_l.Work, "work", temp));
            if (after.Size >= BigSize && File.Exists(upperFile))
            {
                ResetUpper();
                continue;                   // it finished before the kill landed
            }
            // Upper has the file complete or not at all; here, not at all.
            Assert.False(File.Exists(upperFile), "a partial copy-up reached the upper dir");
            Assert.Contains(temp, WorkLeftovers());
            break;
        }

        // The next open of the stack removes what the dead process left in the work dir.
        var fs = new OverlayFs(_l.Stack(lowers: 1));
        Assert.Empty(WorkLeftovers());
        // And the file reads whole from the lower, then copies up whole on the next write.
        using (var s = fs.OpenRead("/dir/big"))
            Assert.Equal(lowerHash, Convert.ToHexString(SHA256.HashData(s)));
        fs.Truncate("/dir/big", BigSize);
        Assert.Equal(lowerHash, Hash(upperFile));
    }

    void ResetUpper()
    {
        foreach (var e in Directory.GetFileSystemEntries(_l.U.Root).Concat(Directory.GetFileSystemEntries(_l.Work)))
        {
            if (new DirectoryInfo(e) is { Exists: true, LinkTarget: null })
                Directory.Delete(e, recursive: true);
            else
                File.Delete(e);
        }
    }

    [SkippableFact]
    public void Two_processes_writing_one_lower_file_end_with_one_complete_copy_up()
    {
        RootOnly.Require();
        var lowerHash = MakeBigLowerFile("shared");
        string go = Path.Combine(_l.Base, "go");
        var a = StartChild("/shared", "\nwriter A", go);
        var b = StartChild("/shared", "\nwriter B", go);
        File.WriteAllText(go, "");
        a.WaitForExit();
        b.WaitForExit();
        Assert.True(a.ExitCode == 0, a.StandardError.ReadToEnd());
        Assert.True(b.ExitCode == 0, b.StandardError.ReadToEnd());

        // One upper file: the whole lower content, then both appends (none lost to a second
        // copy-up replacing the first), and nothing left in the work dir.
        var upper = _l.U.P("shared");
        Assert.Equal(BigSize + 2 * "\nwriter A".Length, new FileInfo(upper).Length);
        using (var f = File.OpenRead(upper))
        {
            var head = new byte[BigSize];
            f.ReadExactly(head);
            Assert.Equal(lowerHash, Convert.ToHexString(SHA256.HashData(head)));
            var tail = new StreamReader(f).ReadToEnd();
            Assert.True(tail is "\nwriter A\nwriter B" or "\nwriter B\nwriter A", tail);
        }
        Assert.Empty(WorkLeftovers());
    }
}
