using System.Buffers.Binary;
using OverlayPS.Core.Bolt;

namespace OverlayPS.Tests.Bolt;

/// <summary>
/// Mutated copies of the fixture's bbolt files (bit flips, truncations, page-id and header
/// rewrites) must each end in a tree or a <see cref="BoltFormatException"/>: no other
/// exception, no crash, no hang (the reader visits each page once, so it cannot loop).
/// CI runs a fixed seed; OVERLAYPS_BOLT_FUZZ_SEEDS=first-last runs more seeds on demand, and
/// OVERLAYPS_BOLT_FUZZ_CASES sets the cases per seed.
/// </summary>
public class BoltFuzzTests
{
    const int DefaultCases = 2500;

    public static IEnumerable<object[]> Seeds()
    {
        var range = Environment.GetEnvironmentVariable("OVERLAYPS_BOLT_FUZZ_SEEDS");
        if (range is { Length: > 0 } && range.Split('-') is [var a, var b] && int.TryParse(a, out var first) && int.TryParse(b, out var last))
        {
            for (int s = first; s <= last; s++)
            {
                yield return new object[] { BoltFiles.MetaDb, s };
                yield return new object[] { BoltFiles.SnapshotterDb, s };
            }
            yield break;
        }
        yield return new object[] { BoltFiles.MetaDb, 20261202 };
        yield return new object[] { BoltFiles.SnapshotterDb, 20261202 };
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_mutated_copy_ends_in_a_tree_or_a_format_error(string file, int seed)
    {
        var original = BoltFiles.Bytes(file);
        var pageSize = (int)BoltDb.Parse(original, file).PageSize;
        int cases = int.TryParse(Environment.GetEnvironmentVariable("OVERLAYPS_BOLT_FUZZ_CASES"), out var c) ? c : DefaultCases;
        var rng = new Random(seed);
        int parsed = 0, refused = 0;
        var kinds = new int[4];
        for (int i = 0; i < cases; i++)
        {
            int kind = rng.Next(4);
            var copy = Mutate(original, pageSize, rng, kind);
            try
            {
                var db = BoltDb.Parse(copy, file);
                Walk(db.Root);
                parsed++;
            }
            catch (BoltFormatException)
            {
                refused++;
                kinds[kind]++;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed} case {i} (mutation {kind}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        // The mutations must bite: each kind was refused at least once.
        Assert.All(kinds, k => Assert.True(k > 0, $"a mutation kind never produced a format error: {string.Join(",", kinds)}"));
        Assert.Equal(cases, parsed + refused);
    }

    /// <summary>Touches every key and value, as a caller reading the tree would.</summary>
    static void Walk(BoltBucket b)
    {
        foreach (var e in b.Entries)
        {
            _ = e.Name;
            _ = e.Value.Span.Length;
            if (e.Bucket is not null) Walk(e.Bucket);
        }
    }

    static byte[] Mutate(byte[] original, int pageSize, Random rng, int kind)
    {
        switch (kind)
        {
            case 0:   // bit flips anywhere (mostly data pages, sometimes the metas)
            {
                var copy = (byte[])original.Clone();
                int flips = 1 + rng.Next(8);
                for (int f = 0; f < flips; f++)
                {
                    int at = rng.Next(4) == 0 ? rng.Next(2 * pageSize) : rng.Next(copy.Length);
                    copy[at] ^= (byte)(1 << rng.Next(8));
                }
                return copy;
            }
            case 1:   // truncation, often mid-page
                return original[..rng.Next(original.Length)];
            case 2:   // a branch child or bucket root rewritten to another page id (cycles, metas, free pages, past the end)
            {
                var copy = (byte[])original.Clone();
                int pages = copy.Length / pageSize;
                for (int tries = 0; tries < 50; tries++)
                {
                    int page = 2 + rng.Next(pages - 2);
                    int at = page * pageSize;
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at + 8));
                    ushort count = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(at + 10));
                    if (count == 0 || (flags != 1 && flags != 2)) continue;
                    int el = at + 16 + rng.Next(count) * 16;
                    ulong target = rng.Next(3) switch { 0 => (ulong)rng.Next(pages + 4), 1 => (ulong)page, _ => (ulong)rng.NextInt64() };
                    if (flags == 1)
                        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(el + 8), target);
                    else
                    {
                        // A leaf element: make it a bucket whose root is the target.
                        uint pos = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(el + 4));
                        uint ksize = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(el + 8));
                        long v = el + (long)pos + ksize;
                        if (v + 8 > at + pageSize) continue;
                        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(el), 1);
                        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan((int)v), target);
                    }
                    return copy;
                }
                return copy;
            }
            default:  // a page header field (id, flags, count, overflow) or element field rewritten
            {
                var copy = (byte[])original.Clone();
                int pages = copy.Length / pageSize;
                int at = (2 + rng.Next(pages - 2)) * pageSize;
                int field = rng.Next(5);
                switch (field)
                {
                    case 0: BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), (ulong)rng.Next(pages)); break;
                    case 1: BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 8), (ushort)(1 << rng.Next(5))); break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at + 10), (ushort)rng.Next(65536)); break;
                    case 3: BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 12), rng.Next(3) == 0 ? uint.MaxValue : (uint)rng.Next(pages)); break;
                    default: BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at + 16 + 16 * rng.Next(8) + 4 * rng.Next(4)), (uint)rng.NextInt64(uint.MaxValue)); break;
                }
                return copy;
            }
        }
    }
}
