using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// Masks without static classification, or with one too coarse to use: a run-time tile map, cached per shape, tiling,
/// spec and capture values.
/// </summary>
public sealed class CpuAttentionRuntimeTileMapTests
{
    [Fact]
    public void TileMapIsBuiltOnceReusedForEqualCapturesAndRebuiltForNewOnes()
    {
        const int Seq = 256;
        var problem = AttentionProblem<float>.Random(31, 1, 2, 2, Seq, Seq, 32, 32);
        int[] ids = CpuAttentionAccuracyTests.RandomDocumentIds(new Random(Environment.TickCount), Seq);

        // A document boundary off every tile edge, so that some tile is partial and a cached map still calls the mask:
        // one random draw in about 650 has no boundary at all, and then no call runs the mask.
        for (int i = 131; i < Seq; i++)
        {
            ids[i]++;
        }

        var observer = new ModsObserver { RecordPairs = false };

        var first = new PinnedCapture<int>(ids);
        (TestTensor<float> firstOutput, _) = problem.RunKernel(new ObservedMods<DocumentMaskMods>(new DocumentMaskMods(first.Span), observer));
        int buildAndRunCalls = observer.MaskCalls;
        Assert.Equal(0, observer.ClassifyCalls);

        observer.Reset();
        var sameValues = new PinnedCapture<int>(ids);
        (TestTensor<float> secondOutput, _) = problem.RunKernel(new ObservedMods<DocumentMaskMods>(new DocumentMaskMods(sameValues.Span), observer));
        int runOnlyCalls = observer.MaskCalls;
        Assert.InRange(runOnlyCalls, 1, buildAndRunCalls - 1);
        Assert.Equal(firstOutput.Data, secondOutput.Data);
        (TestTensor<float> expected, _) = problem.RunReference(new DocumentMaskMods(first.Span));
        AttentionAssert.Close(expected, secondOutput, 1e-5);

        // One document: tiles the old map called Empty (different documents) are now needed, so a stale map fails.
        var oneDocument = new PinnedCapture<int>(new int[Seq]);
        observer.Reset();
        (TestTensor<float> thirdOutput, _) = problem.RunKernel(new ObservedMods<DocumentMaskMods>(new DocumentMaskMods(oneDocument.Span), observer));
        Assert.True(observer.MaskCalls > runOnlyCalls, $"{observer.MaskCalls} mask calls: the map was not rebuilt.");
        (TestTensor<float> expectedThird, _) = problem.RunReference(new DocumentMaskMods(oneDocument.Span));
        AttentionAssert.Close(expectedThird, thirdOutput, 1e-5);
        GC.KeepAlive(first);
        GC.KeepAlive(sameValues);
        GC.KeepAlive(oneDocument);
    }

    [Fact]
    public void MasksThatDependOnTheHeadGetOneMapPerHead()
    {
        var problem = AttentionProblem<Half>.Random(34, 2, 4, 2, 300, 300, 64, 64);
        var windows = new PinnedCapture<int>([1, 40, 130, 300]);
        CpuAttentionAccuracyTests.Compare(problem, new HeadWindowMods(windows.Span));
        GC.KeepAlive(windows);
    }

    [Fact]
    public void LargeTileMapsAreBuiltInParallelAndMatchTheReference()
    {
        // 1024² pairs crosses the parallel build threshold.
        var problem = AttentionProblem<float>.Random(32, 1, 1, 1, 1024, 1024, 32, 32);
        var ids = new PinnedCapture<int>(CpuAttentionAccuracyTests.RandomDocumentIds(new Random(Environment.TickCount), 1024));
        CpuAttentionAccuracyTests.Compare(problem, new DocumentMaskMods(ids.Span));
        GC.KeepAlive(ids);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void ExceptionFromTheMaskWhileBuildingSurfacesAsItself(int maxDegreeOfParallelism)
    {
        // seqQ > seqKV puts the first queries at negative positions, which this mask indexes without a check.
        var problem = AttentionProblem<float>.Random(33, 1, 1, 1, 1100, 1024, 32, 32);
        var ids = new PinnedCapture<int>(new int[1024]);
        Assert.Throws<IndexOutOfRangeException>(() => problem.RunKernel(new DocumentMaskMods(ids.Span), maxDegreeOfParallelism: maxDegreeOfParallelism));
        GC.KeepAlive(ids);
    }

    [Fact]
    public void ACoarseStaticClassificationIsRefinedIntoTheExactMap()
    {
        // Interval bounds through / and % prove no tile of a 2-D window Empty; most of them are.
        var shape = new AttentionShape(1, 2, 2, 1024, 1024, 32, 32);
        TilePlan plan = TilePlan.For(shape, threads: 1, masked: true);
        var mods = new LocalWindow2D.Mods(32, 2f);

        RuntimeTileMap? map = RuntimeTileMapCache.GetOrBuild(mods, shape, plan, -1);

        Assert.NotNull(map);
        int empty = 0;
        for (int queryTile = 0; queryTile < plan.TilesQ; queryTile++)
        {
            for (int keyTile = 0; keyTile < plan.TilesKV; keyTile++)
            {
                TileClass expected = ExactClass(mods, shape, plan, queryTile, keyTile);
                Assert.Equal(expected, map.Get(0, 1, queryTile, keyTile));
                empty += expected == TileClass.Empty ? 1 : 0;
            }
        }

        Assert.InRange(empty, plan.TilesQ * plan.TilesKV / 2, plan.TilesQ * plan.TilesKV);
    }

    [Fact]
    public void APreciseStaticClassificationNeedsNoMap()
    {
        var shape = new AttentionShape(1, 2, 2, 1024, 1024, 32, 32);

        Assert.Null(RuntimeTileMapCache.GetOrBuild(new CausalMods(), shape, TilePlan.For(shape, threads: 1, masked: true), -1));
    }

    [Fact]
    public void KeysOfTilesTheRefinedMapCallsEmptyAreNeverRead()
    {
        // Bottom-right aligned queries sit in the grid's last six rows: with radius 2, keys of rows 0-23 are never kept,
        // and a loaded NaN times a zero weight would be NaN.
        var problem = AttentionProblem<float>.Random(35, 1, 2, 1, 192, 1024, 32, 32);
        var mods = new LocalWindow2D.Mods(32, 2f);
        for (int kv = 0; kv < 24 * 32; kv++)
        {
            problem.PoisonKeyAndValue(0, 0, kv);
        }

        CpuAttentionAccuracyTests.Compare(problem, mods);
    }

    private static TileClass ExactClass(in LocalWindow2D.Mods mods, AttentionShape shape, TilePlan plan, int queryTile, int keyTile)
    {
        bool kept = false, dropped = false;
        int qEnd = Math.Min((queryTile + 1) * plan.TileQ, shape.SeqQ);
        int kvEnd = Math.Min((keyTile + 1) * plan.TileKV, shape.SeqKV);
        for (int q = queryTile * plan.TileQ; q < qEnd; q++)
        {
            for (int kv = keyTile * plan.TileKV; kv < kvEnd; kv++)
            {
                bool keep = mods.Mask(0, 1, q + shape.QueryPositionOffset, kv);
                kept |= keep;
                dropped |= !keep;
            }
        }

        return kept ? (dropped ? TileClass.Partial : TileClass.Full) : TileClass.Empty;
    }
}
