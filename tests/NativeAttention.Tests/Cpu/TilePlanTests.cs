using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>The CPU tiling: large query tiles where they leave every thread enough items, smaller ones where not.</summary>
public sealed class TilePlanTests
{
    [Fact]
    public void OneThreadTakesTilesOf192Rows()
    {
        TilePlan plan = TilePlan.For(new AttentionShape(1, 8, 8, 2048, 2048, 64, 64), threads: 1);
        Assert.Equal(192, plan.TileRows);
        Assert.Equal(11, plan.TilesQ);
        Assert.Equal(64, plan.TileKV);
    }

    [Fact]
    public void ThreadsWithFewerThanFourItemsEachGetTilesOf96Rows()
    {
        // 8 heads × 3 tiles of 192 rows = 24 items for 16 threads; 8 × 6 tiles of 96 = 48.
        TilePlan small = TilePlan.For(new AttentionShape(1, 8, 8, 512, 512, 64, 64), threads: 16);
        Assert.Equal(96, small.TileRows);
        Assert.Equal(6, small.TilesQ);

        // 8 heads × 11 tiles of 192 rows = 88 items: enough for 16 threads.
        Assert.Equal(192, TilePlan.For(new AttentionShape(1, 8, 8, 2048, 2048, 64, 64), threads: 16).TileRows);
    }

    [Fact]
    public void GroupedDecodingPacksTheQueryHeadsOfOneKeyValueHead()
    {
        TilePlan plan = TilePlan.For(new AttentionShape(1, 32, 4, 1, 32768, 128, 128), threads: 16);
        Assert.Equal(8, plan.HeadsPerTile);
        Assert.Equal(1, plan.TileQ);
        Assert.Equal(64, plan.TileKV);
    }

    [Fact]
    public void HeadDimsAbove128TakeNarrowKeyTiles()
    {
        Assert.Equal(32, TilePlan.For(new AttentionShape(1, 2, 2, 300, 300, 256, 256), threads: 1).TileKV);
    }
}
