using System.Text;

namespace OverlayPS.Tests.Differential;

public enum HarnessMode
{
    /// <summary>Two kernel mounts of identical copies: checks the harness itself (must never diverge).</summary>
    KernelVsKernel,
    /// <summary>Kernel vs engine, read ops only.</summary>
    EngineReads,
    /// <summary>Kernel vs engine, every op of the contract.</summary>
    EngineFull,
}

/// <summary>What one seeded sequence did and where the two sides parted.</summary>
public sealed class SequenceOutcome
{
    public required int Seed { get; init; }
    public required HarnessMode Mode { get; init; }
    public required StackSpec Spec { get; init; }
    /// <summary>Entries of the seed's stack, to say how much stack shrinking removed.</summary>
    public int SeedStackEntries { get; init; }
    public required IReadOnlyList<Op> AllOps { get; init; }
    public required IReadOnlyList<int> OpIndices { get; init; }
    public List<string> Divergences { get; } = new();
    /// <summary>The kernel's result per op run ("ok ..." or an errno), for coverage statistics.</summary>
    public List<(OpKind Kind, string Result)> KernelResults { get; } = new();
    public bool Diverged => Divergences.Count > 0;

    public string Report()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"seed {Seed}, mode {Mode}, {OpIndices.Count} of {AllOps.Count} ops");
        var opList = OpIndices.Count == 0 ? "none" : string.Join(',', OpIndices);
        sb.AppendLine($"replay (with the seed's whole stack): OVERLAYPS_DIFF_SEED={Seed} OVERLAYPS_DIFF_OPS={opList} OVERLAYPS_DIFF_MODE={Mode} " +
                      "dotnet test tests/OverlayPS.Tests --filter FullyQualifiedName~Differential.KernelDifferentialTests.Engine_");
        sb.AppendLine(Spec.EntryCount == SeedStackEntries
            ? "stack:"
            : $"stack (shrunk to {Spec.EntryCount} of the seed's {SeedStackEntries} entries; still diverges):");
        sb.Append(Spec);
        sb.AppendLine("ops:");
        foreach (var i in OpIndices)
            sb.AppendLine($"  #{i} {AllOps[i]}");
        sb.AppendLine("divergences:");
        foreach (var d in Divergences.Take(25))
            sb.AppendLine("  " + d);
        if (Divergences.Count > 25)
            sb.AppendLine($"  ... and {Divergences.Count - 25} more");
        return sb.ToString();
    }
}

/// <summary>
/// Runs one seeded sequence: generate the stack, write it twice, mount the kernel overlay on
/// one copy and open the other side on the other, apply the ops to both comparing each
/// result, then compare the merged trees and (after umount) the upper dirs.
/// </summary>
public static class DifferentialRun
{
    public const int WriteOpsPerSequence = 30;
    public const int ReadOpsPerSequence = 20;

    public static (StackSpec Spec, List<Op> Ops) Plan(int seed, HarnessMode mode)
    {
        var spec = StackGenerator.Generate(seed);
        bool readsOnly = mode == HarnessMode.EngineReads;
        var ops = OpGenerator.Generate(seed, spec, readsOnly ? ReadOpsPerSequence : WriteOpsPerSequence, readsOnly);
        return (spec, ops);
    }

    /// <param name="keep">Run only these op indices (shrinking, replay).</param>
    /// <param name="stack">Write this stack instead of the seed's (stack shrinking); the ops stay
    /// the seed's, so an index means the same op throughout.</param>
    public static SequenceOutcome Run(int seed, HarnessMode mode, IReadOnlyList<int>? keep = null,
        StackSpec? stack = null)
    {
        var (seedSpec, ops) = Plan(seed, mode);
        var spec = stack ?? seedSpec;
        var indices = keep ?? Enumerable.Range(0, ops.Count).ToList();
        var outcome = new SequenceOutcome
        {
            Seed = seed, Mode = mode, Spec = spec, AllOps = ops, OpIndices = indices, SeedStackEntries = seedSpec.EntryCount,
        };

        using var tmp = new TempDir("ovlps-diff");
        var kernelStack = StackMaterializer.Write(spec, tmp.Sub("kernel"));
        var otherStack = StackMaterializer.Write(spec, tmp.Sub("engine"));
        using var kernel = new KernelUnion(kernelStack, Path.Combine(tmp.Path, "kernel", "mnt"));
        using IUnionUnderTest other = mode == HarnessMode.KernelVsKernel
            ? new KernelUnion(otherStack, Path.Combine(tmp.Path, "engine", "mnt"))
            : new EngineUnion(otherStack);

        foreach (var i in indices)
        {
            var op = ops[i];
            string k, o;
            if (WouldBlockOnFifo(kernel, op) || WouldBlockOnFifo(other, op))
            {
                // Opening a fifo for data would wait for a peer: not a question for the union.
                k = o = "skipped (fifo)";
            }
            else if (LeavesRoot(kernel, op))
            {
                k = o = "skipped (a link leads above the root)";
            }
            else
            {
                k = OpExecution.Run(kernel, op);
                o = OpExecution.Run(other, op);
                if (op.IsWrite)
                {
                    // The names the op touched, right after it: a difference shows at the op
                    // that made it, before later ops can hide it.
                    k += After(kernel, op);
                    o += After(other, op);
                }
            }
            var head = k.Split('\n')[0];
            outcome.KernelResults.Add((op.Kind, head.StartsWith("ok", StringComparison.Ordinal) ? "ok" : head));
            if (k != o)
                outcome.Divergences.Add($"op #{i} {op}:\n      kernel: {k}\n      engine: {o}");
        }

        outcome.Divergences.AddRange(TreeSnapshot.Diff("merged",
            TreeSnapshot.Take(kernel.View, upperDir: false), Guarded("merged tree", () => TreeSnapshot.Take(other.View, upperDir: false), outcome)));

        var kernelUpper = kernel.Finish();
        var otherUpper = other.Finish();
        if (kernelUpper is not null && otherUpper is not null)
            outcome.Divergences.AddRange(TreeSnapshot.Diff("upper",
                TreeSnapshot.Take(new DirectoryView(kernelUpper), upperDir: true),
                TreeSnapshot.Take(new DirectoryView(otherUpper), upperDir: true)));
        // Lowers are read-only to both: whatever happened, they must still be as written.
        for (int l = 0; l < kernelStack.Lowers.Count; l++)
            outcome.Divergences.AddRange(TreeSnapshot.Diff($"lower{l + 1}",
                TreeSnapshot.Take(new DirectoryView(kernelStack.Lowers[l]), upperDir: true),
                TreeSnapshot.Take(new DirectoryView(otherStack.Lowers[l]), upperDir: true)));
        return outcome;
    }

    /// <summary>The engine's side of a snapshot; anything but a PosixException thrown while
    /// walking it breaks the contract, and is reported as a divergence of this seed.</summary>
    static SortedDictionary<string, string> Guarded(string what, Func<SortedDictionary<string, string>> take, SequenceOutcome outcome)
    {
        try { return take(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome.Divergences.Add($"{what}: reading the engine's side threw {e.GetType().Name}: {e.Message}");
            return new SortedDictionary<string, string>(StringComparer.Ordinal);
        }
    }

    static string After(IUnionUnderTest side, Op op)
    {
        var paths = op.Kind is OpKind.Link or OpKind.Rename ? new[] { op.Path, op.Path2! } : new[] { op.Path };
        var sb = new StringBuilder();
        foreach (var p in paths)
        {
            sb.Append("\n        then ").Append(p).Append(": ");
            try { sb.Append(TreeSnapshot.Describe(side.View, p, side.View.LStat(p), upperDir: false)); }
            catch (Core.Posix.PosixException e) { sb.Append(e.Errno); }
            catch (Exception e) when (e is not OutOfMemoryException) { sb.Append($"threw {e.GetType().Name}: {e.Message}"); }
        }
        return sb.ToString();
    }

    static bool LeavesRoot(KernelUnion kernel, Op op)
    {
        bool follows = op.Kind is OpKind.Write or OpKind.Truncate or OpKind.Read or OpKind.ReadDir or OpKind.Resolve;
        if (kernel.LeavesRoot(op.Path, follows))
            return true;
        return op.Kind is OpKind.Link or OpKind.Rename && kernel.LeavesRoot(op.Path2!, followFinal: false);
    }

    static bool WouldBlockOnFifo(IUnionUnderTest side, Op op)
    {
        if (op.Kind is not (OpKind.Write or OpKind.Truncate or OpKind.Read))
            return false;
        try { return side.KindFollowingLinks(op.Path) == Core.Posix.FileKind.Fifo; }
        catch (Exception e) when (e is not OutOfMemoryException) { return false; }
    }
}
