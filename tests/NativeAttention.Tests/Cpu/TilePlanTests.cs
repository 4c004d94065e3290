using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The CPU tiling: for specs without a mask, large tiles where they leave every thread enough items and smaller ones
/// where not; masked specs keep the finer tiles that let sparse masks skip work.
/// </summary>
public sealed class TilePlanTests
{
    [Fact]
    public void UnmaskedOneThreadTakesTilesOf192RowsAnd128Keys()
    {
        TilePlan plan = TilePlan.For(new AttentionShape(1, 8, 8, 2048, 2048, 64, 64), threads: 1, masked: false);
        Assert.Equal(192, plan.TileRows);
        Assert.Equal(11, plan.TilesQ);
        Assert.Equal(128, plan.TileKV);
        Assert.Equal(16, plan.TilesKV);
    }

    [Fact]
    public void UnmaskedThreadsWithFewerThanFourItemsEachGetTilesOf96Rows()
    {
        // 8 heads × 3 tiles of 192 rows = 24 items for 16 threads; 8 × 6 tiles of 96 = 48.
        TilePlan small = TilePlan.For(new AttentionShape(1, 8, 8, 512, 512, 64, 64), threads: 16, masked: false);
        Assert.Equal(96, small.TileRows);
        Assert.Equal(6, small.TilesQ);
        Assert.Equal(128, small.TileKV);

        // 8 heads × 11 tiles of 192 rows = 88 items: enough for 16 threads.
        Assert.Equal(192, TilePlan.For(new AttentionShape(1, 8, 8, 2048, 2048, 64, 64), threads: 16, masked: false).TileRows);
    }

    [Fact]
    public void MaskedSpecsKeepTilesOf96RowsAnd64Keys()
    {
        TilePlan plan = TilePlan.For(new AttentionShape(1, 8, 8, 2048, 2048, 64, 64), threads: 1, masked: true);
        Assert.Equal(96, plan.TileRows);
        Assert.Equal(64, plan.TileKV);
    }

    [Fact]
    public void GroupedDecodingPacksTheQueryHeadsOfOneKeyValueHead()
    {
        TilePlan plan = TilePlan.For(new AttentionShape(1, 32, 4, 1, 32768, 128, 128), threads: 16, masked: true);
        Assert.Equal(8, plan.HeadsPerTile);
        Assert.Equal(1, plan.TileQ);
        Assert.Equal(64, plan.TileKV);
    }

    [Theory]
    [InlineData(96, 64)]
    [InlineData(128, 64)]
    [InlineData(256, 32)]
    public void WiderHeadsTakeFewerKeysPerTile(int headDim, int keysPerTile)
    {
        Assert.Equal(keysPerTile, TilePlan.For(new AttentionShape(1, 2, 2, 300, 300, headDim, headDim), threads: 1, masked: false).TileKV);
    }
}
