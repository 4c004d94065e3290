using System;

namespace NativeAttention;

/// <summary>How the CPU kernel cuts one call into (query tile × key tile) blocks, and the scratch each worker needs.</summary>
/// <param name="TileQ">Queries per tile.</param>
/// <param name="TileKV">Keys per tile.</param>
/// <param name="TilesQ">Query tiles per (batch, head).</param>
/// <param name="TilesKV">Key tiles per (batch, head).</param>
internal readonly record struct TilePlan(int TileQ, int TileKV, int TilesQ, int TilesKV)
{
    private const int MaxTileQ = 64;
    private const int WideTileKV = 64;
    private const int NarrowTileKV = 32;
    private const int WideHeadDimLimit = 128;

    /// <summary>Gets the floats of scratch one worker uses for one query tile.</summary>
    /// <param name="shape">The call's sizes.</param>
    /// <returns>Query, key and value tiles, scores, accumulator, running max and running sum.</returns>
    public int ScratchFloats(AttentionShape shape) =>
        (TileQ * shape.HeadDim) + (TileKV * shape.HeadDim) + (TileKV * shape.ValueDim) + (TileQ * TileKV) +
        (TileQ * shape.ValueDim) + (2 * TileQ);

    /// <summary>Chooses tiles that keep a worker's scratch within a few hundred KiB (L2) for head dims up to 256.</summary>
    /// <param name="shape">The call's sizes.</param>
    /// <returns>The plan.</returns>
    public static TilePlan For(AttentionShape shape)
    {
        int tileQ = Math.Clamp(shape.SeqQ, 1, MaxTileQ);
        int widest = Math.Max(shape.HeadDim, shape.ValueDim) <= WideHeadDimLimit ? WideTileKV : NarrowTileKV;
        int tileKV = Math.Clamp(shape.SeqKV, 1, widest);
        return new TilePlan(tileQ, tileKV, CeilDiv(shape.SeqQ, tileQ), CeilDiv(shape.SeqKV, tileKV));
    }

    private static int CeilDiv(int numerator, int denominator) => (int)(((long)numerator + denominator - 1) / denominator);
}
