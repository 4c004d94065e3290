using System;
using System.Collections.Generic;
using System.Linq;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>Empty tiles cost nothing, Full tiles skip the mask, and classification drives both.</summary>
public sealed class CpuAttentionBlockSparsityTests
{
    private const int Heads = 2;
    private const int SeqQ = 300;
    private const int SeqKV = 300;

    [Theory]
    [InlineData(MaskKind.Causal)]
    [InlineData(MaskKind.SlidingWindow)]
    [InlineData(MaskKind.Alibi)]
    public void MaskAndScoreAreNeverEvaluatedInEmptyTilesNorMaskInFullTiles(MaskKind mask)
    {
        var problem = AttentionProblem<float>.Random(21, 1, Heads, Heads, SeqQ, SeqKV, 32, 32);
        var observer = new ModsObserver();
        var slopes = new PinnedCapture<float>([0.5f, 0.25f]);
        switch (mask)
        {
            case MaskKind.Causal:
                RunObserved(problem, new CausalMods(), observer);
                break;
            case MaskKind.SlidingWindow:
                RunObserved(problem, new SlidingWindowMods(200), observer);
                break;
            default:
                RunObserved(problem, new AlibiMods(slopes.Span), observer);
                break;
        }

        GC.KeepAlive(slopes);
        Dictionary<(int Batch, int Head), TileClass[,]> grids = ClassGrids(observer);
        Assert.Equal(Heads, grids.Count);
        var classes = grids.Values.SelectMany(grid => grid.Cast<TileClass>()).ToHashSet();
        Assert.Contains(TileClass.Empty, classes);
        Assert.Contains(TileClass.Full, classes);
        Assert.Contains(TileClass.Partial, classes);

        Assert.NotEmpty(observer.MaskPairs);
        foreach ((int batch, int head, int q, int kv) in observer.MaskPairs)
        {
            Assert.Equal(TileClass.Partial, grids[(batch, head)][q, kv]);
        }

        foreach ((int batch, int head, int q, int kv) in observer.ScorePairs)
        {
            Assert.NotEqual(TileClass.Empty, grids[(batch, head)][q, kv]);
        }

        if (mask == MaskKind.Alibi)
        {
            // One score per kept pair: exactly the causal lower triangle of every head.
            Assert.Equal(Heads * SeqQ * (SeqQ + 1) / 2, observer.ScoreCalls);
        }
    }

    [Fact]
    public void HeadsSharingAKeyValueHeadAreClassifiedTogetherButEachByItsOwnMask()
    {
        // Four query heads on one key/value head, each with its own window: a tile is Empty or Full only for all four.
        var problem = AttentionProblem<float>.Random(23, 2, 4, 1, 300, 300, 32, 32);
        var windows = new PinnedCapture<int>([1, 40, 130, 300]);
        var observer = new ModsObserver { RecordPairs = false };
        (TestTensor<float> actual, float[] actualLse) = problem.RunKernel(new ObservedMods<StaticHeadWindowMods>(new StaticHeadWindowMods(windows.Span), observer));
        (TestTensor<float> expected, float[] expectedLse) = problem.RunReference(new StaticHeadWindowMods(windows.Span));

        AttentionAssert.Close(expected, actual, 1e-5);
        AttentionAssert.LogSumExpClose(expectedLse, actualLse, 1e-5);
        Assert.Equal([0, 1, 2, 3], observer.Tiles.Select(t => t.Head).Distinct().Order());
        Assert.Contains(observer.Tiles, t => t.Class == TileClass.Empty);
        GC.KeepAlive(windows);
    }

    [Theory]
    [InlineData(0, 130)]
    [InlineData(170, SeqKV)]
    [InlineData(70, 150)]
    public void KeysAndValuesOfEmptyTilesAreNeverRead(int firstKept, int endKept)
    {
        // Empty tiles after visible ones are the telling case: a loaded NaN value times a zero weight is NaN.
        var problem = AttentionProblem<float>.Random(22, 1, Heads, 1, 100, SeqKV, 64, 64);
        var mods = new KeyRangeMods(firstKept, endKept);
        var observer = new ModsObserver();
        RunObserved(problem, mods, observer);

        // Keys that every query tile classified Empty: the kernel must not even load them.
        var emptyForAll = Enumerable.Range(0, SeqKV)
            .Where(kv => observer.Tiles.Where(t => t.KvFirst <= kv && kv <= t.KvLast).All(t => t.Class == TileClass.Empty))
            .ToArray();
        Assert.NotEmpty(emptyForAll);
        foreach (int kv in emptyForAll)
        {
            problem.PoisonKeyAndValue(0, 0, kv);
        }

        (TestTensor<float> expected, float[] expectedLse) = problem.RunReference(mods);
        (TestTensor<float> actual, float[] actualLse) = problem.RunKernel(mods);
        AttentionAssert.Close(expected, actual, 1e-5);
        AttentionAssert.LogSumExpClose(expectedLse, actualLse, 1e-5);
    }

    private static void RunObserved<TMods>(AttentionProblem<float> problem, TMods inner, ModsObserver observer)
        where TMods : struct, IAttentionMods
    {
        var observed = new ObservedMods<TMods>(inner, observer);
        (TestTensor<float> actual, _) = problem.RunKernel(observed);
        (TestTensor<float> expected, _) = problem.RunReference(inner);
        AttentionAssert.Close(expected, actual, 1e-5);
    }

    /// <summary>
    /// Each pair's tile class per (batch, head), checking that the classified tiles cover every pair once. A tile may be
    /// classified more than once (the kernel samples a row to decide whether to refine the static classes), always alike.
    /// </summary>
    private static Dictionary<(int Batch, int Head), TileClass[,]> ClassGrids(ModsObserver observer)
    {
        var grids = new Dictionary<(int, int), TileClass[,]>();
        var covered = new Dictionary<(int, int), int[,]>();
        var tiles = observer.Tiles.GroupBy(t => (t.Batch, t.Head, t.QFirst, t.QLast, t.KvFirst, t.KvLast)).ToArray();
        Assert.All(tiles, group => Assert.Single(group.Select(t => t.Class).Distinct()));
        foreach (var tile in tiles.Select(group => group.First()))
        {
            if (!grids.TryGetValue((tile.Batch, tile.Head), out TileClass[,]? grid))
            {
                grid = new TileClass[SeqQ, SeqKV];
                grids.Add((tile.Batch, tile.Head), grid);
                covered.Add((tile.Batch, tile.Head), new int[SeqQ, SeqKV]);
            }

            int[,] count = covered[(tile.Batch, tile.Head)];
            for (int q = tile.QFirst; q <= tile.QLast; q++)
            {
                for (int kv = tile.KvFirst; kv <= tile.KvLast; kv++)
                {
                    grid[q, kv] = tile.Class;
                    count[q, kv]++;
                }
            }
        }

        foreach (int[,] count in covered.Values)
        {
            Assert.All(count.Cast<int>(), c => Assert.Equal(1, c));
        }

        return grids;
    }
}
