using System;

namespace NativeAttention;

/// <summary>
/// How the decode path shares each item's key tiles among threads. A few queries over a long key range make too few
/// (batch, head group, query tile) items to keep every thread busy, so each item's key tiles are cut into
/// <see cref="Splits"/> contiguous shares that run as separate work units; their partial results are merged by
/// log-sum-exp afterwards.
/// </summary>
/// <param name="Splits">Shares per item; 1 means the key range is not split.</param>
/// <param name="TileRows">Rows of a full query tile.</param>
/// <param name="ValueDim">Floats per output row.</param>
internal readonly unsafe record struct KeySplitPlan(int Splits, int TileRows, int ValueDim)
{
    /// <summary>The most queries for which the key range is split: beyond it the query tiles alone give enough items.</summary>
    public const int MaxDecodeQueries = 16;

    /// <summary>Each share gets at least this many key tiles, so that merging stays negligible next to the share's work.</summary>
    private const int MinKeyTilesPerSplit = 4;

    /// <summary>Gets whether the key range is split.</summary>
    public bool IsSplit => Splits > 1;

    /// <summary>Gets the floats of the partial buffer for one share of one item: output rows, then one log-sum-exp per row.</summary>
    private int FloatsPerShare => TileRows * (ValueDim + 1);

    /// <summary>Gets the floats of the partial buffer for every share of every item.</summary>
    /// <param name="items">The call's item count.</param>
    /// <returns>The buffer size.</returns>
    public long PartialFloats(int items) => (long)items * Splits * FloatsPerShare;

    /// <summary>
    /// Chooses the shares: none unless the call is a decode (at most <see cref="MaxDecodeQueries"/> queries) whose items
    /// are fewer than twice the threads; then enough that every thread gets about two units, as far as the key tiles allow.
    /// </summary>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="plan">The tiling.</param>
    /// <param name="items">The call's item count.</param>
    /// <param name="threads">The threads the call may use.</param>
    /// <returns>The plan.</returns>
    public static KeySplitPlan Choose(AttentionShape shape, TilePlan plan, int items, int threads)
    {
        int splits = 1;
        if (threads > 1 && shape.SeqQ <= MaxDecodeQueries && items < 2 * threads)
        {
            int wanted = (2 * threads + items - 1) / items;
            splits = Math.Max(1, Math.Min(wanted, plan.TilesKV / MinKeyTilesPerSplit));
        }

        return WithSplits(splits, shape, plan);
    }

    /// <summary>A plan with a given number of shares, at most one per key tile.</summary>
    /// <param name="splits">The wanted shares.</param>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="plan">The tiling.</param>
    /// <returns>The plan.</returns>
    public static KeySplitPlan WithSplits(int splits, AttentionShape shape, TilePlan plan) =>
        new(Math.Clamp(splits, 1, Math.Max(1, plan.TilesKV)), plan.TileRows, shape.ValueDim);

    /// <summary>Gets the first key tile of a share; share <see cref="Splits"/> gives the end of the range.</summary>
    /// <param name="split">The share.</param>
    /// <param name="tilesKV">Key tiles per item.</param>
    /// <returns>The key tile index.</returns>
    public int FirstKeyTile(int split, int tilesKV) => (int)((long)split * tilesKV / Splits);

    /// <summary>Gets the first partial output row of one share of one item.</summary>
    /// <param name="partials">The partial buffer.</param>
    /// <param name="item">The item.</param>
    /// <param name="split">The share.</param>
    /// <returns>[TileRows, ValueDim] floats.</returns>
    public float* Output(float* partials, int item, int split) => partials + ((((long)item * Splits) + split) * FloatsPerShare);

    /// <summary>Gets the partial log-sum-exp of one share of one item.</summary>
    /// <param name="partials">The partial buffer.</param>
    /// <param name="item">The item.</param>
    /// <param name="split">The share.</param>
    /// <returns>[TileRows] floats.</returns>
    public float* LogSumExp(float* partials, int item, int split) => Output(partials, item, split) + ((long)TileRows * ValueDim);
}
