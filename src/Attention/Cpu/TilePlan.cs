using System;

namespace NativeAttention;

/// <summary>
/// How the CPU kernel cuts one call into (query tile × key tile) blocks, and the scratch each worker needs. A query
/// tile holds <see cref="TileQ"/> consecutive positions of <see cref="HeadsPerTile"/> query heads that share one
/// key/value head, so that grouped-query attention (and decoding above all) loads each key and value tile once for the
/// whole group instead of once per head.
/// </summary>
/// <param name="TileQ">Query positions per tile.</param>
/// <param name="HeadsPerTile">Query heads per tile, all reading the same key/value head.</param>
/// <param name="TileKV">Keys per tile.</param>
/// <param name="TilesQ">Query tiles per (batch, head).</param>
/// <param name="TilesKV">Key tiles per (batch, head).</param>
internal readonly record struct TilePlan(int TileQ, int HeadsPerTile, int TileKV, int TilesQ, int TilesKV)
{
    private const int MaxTileRows = 192;
    private const int BalancedTileRows = 96;
    private const int MinItemsPerThread = 4;
    private const int SmallHeadDimTileKV = 128;
    private const int SmallHeadDimLimit = 64;
    private const int WideTileKV = 64;
    private const int NarrowTileKV = 32;
    private const int WideHeadDimLimit = 128;

    /// <summary>Gets the query rows of a full tile: heads × positions.</summary>
    public int TileRows => TileQ * HeadsPerTile;

    /// <summary>Gets the distance in floats between score rows, and between rows of the transposed key tile.</summary>
    public int ScoreStride => TransposedKeyTile.PaddedColumns(TileKV);

    /// <summary>Gets the columns of transposed scores: a full tile's rows padded to whole vectors.</summary>
    public int QueryLanes => TransposedKeyTile.PaddedColumns(TileRows);

    /// <summary>Gets the floats of scratch one worker uses for one query tile, on either path.</summary>
    /// <param name="shape">The call's sizes.</param>
    /// <returns>
    /// By rows: query, key, transposed key and value tiles, scores, accumulator, running max and running sum. By columns:
    /// transposed queries, scores and output, key and value tiles, the rows of queries and then of output, four
    /// per-query arrays and the scores of a masked tile in rows.
    /// </returns>
    public int ScratchFloats(AttentionShape shape) => Math.Max(
        ScratchPart(TileRows * shape.HeadDim) + ScratchPart(TileKV * shape.HeadDim) + ScratchPart(shape.HeadDim * ScoreStride) +
        ScratchPart(TileKV * shape.ValueDim) + ScratchPart(TileRows * ScoreStride) + ScratchPart(TileRows * shape.ValueDim) + (2 * TileRows),
        ScratchPart(shape.HeadDim * QueryLanes) + ScratchPart(TileKV * QueryLanes) + ScratchPart(shape.ValueDim * QueryLanes) +
        ScratchPart(TileKV * shape.HeadDim) + ScratchPart(TileKV * shape.ValueDim) +
        ScratchPart(TileRows * Math.Max(shape.HeadDim, TransposedKeyTile.PaddedColumns(shape.ValueDim))) + (4 * QueryLanes) +
        (TileRows * ScoreStride));

    /// <summary>Rounds one part of the scratch up to whole 64-byte lines, so that every part starts where the scratch's alignment says.</summary>
    /// <param name="floats">The floats of the part.</param>
    /// <returns>The floats it occupies.</returns>
    public static int ScratchPart(int floats) => (floats + 15) & ~15;

    /// <summary>
    /// Chooses the tiles. A spec without a mask mod, whose tiles are all Full, takes query tiles of up to 192 rows (each
    /// key and value tile shared among more rows) and, for head dims up to 64, 128-key tiles (chosen for the row path,
    /// where they halve the per-row softmax passes; the column path measured no better on 64 on the Xeon); it falls back to 96 rows when 192 would leave fewer than four items
    /// per thread to balance. A masked spec keeps 96 × 64 tiles: coarser ones would compute more of a sparse mask's
    /// masked pairs than they save (DocumentMask(96) at S=512 took 1.2–1.5 ms on 96 × 64 tiles and 1.8–2.4 ms on 192 ×
    /// 128 here). Head dims above 128 take 32-key tiles. Every choice keeps the transposed key tile within L1 and a
    /// worker's scratch within L2.
    /// </summary>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="threads">The threads the call runs on.</param>
    /// <param name="masked">Whether the spec has a mask mod.</param>
    /// <returns>The plan.</returns>
    public static TilePlan For(AttentionShape shape, int threads, bool masked)
    {
        if (masked)
        {
            return WithTiles(shape, BalancedTileRows, WideTileKV);
        }

        TilePlan large = WithTiles(shape, MaxTileRows, SmallHeadDimTileKV);
        return (long)shape.Batch * (shape.Heads / large.HeadsPerTile) * large.TilesQ < (long)MinItemsPerThread * threads
            ? WithTiles(shape, BalancedTileRows, SmallHeadDimTileKV)
            : large;
    }

    private static TilePlan WithTiles(AttentionShape shape, int maxTileRows, int smallHeadDimTileKV)
    {
        int headsPerTile = LargestDivisorAtMost(shape.QueryHeadsPerKvHead, maxTileRows);
        int tileQ = Math.Clamp(shape.SeqQ, 1, maxTileRows / headsPerTile);
        int dims = Math.Max(shape.HeadDim, shape.ValueDim);
        int widest = dims <= SmallHeadDimLimit ? smallHeadDimTileKV : dims <= WideHeadDimLimit ? WideTileKV : NarrowTileKV;
        int tileKV = Math.Clamp(shape.SeqKV, 1, widest);
        return new TilePlan(tileQ, headsPerTile, tileKV, CeilDiv(shape.SeqQ, tileQ), CeilDiv(shape.SeqKV, tileKV));
    }

    private static int LargestDivisorAtMost(int value, int limit)
    {
        for (int candidate = Math.Clamp(value, 1, limit); candidate > 1; candidate--)
        {
            if (value % candidate == 0)
            {
                return candidate;
            }
        }

        return 1;
    }

    private static int CeilDiv(int numerator, int denominator) => (int)(((long)numerator + denominator - 1) / denominator);
}
