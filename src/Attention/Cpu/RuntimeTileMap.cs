using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace NativeAttention;

/// <summary>
/// The exact class of every (query tile × key tile), found by evaluating the mask on the pairs of each tile once: for
/// masks whose tiles the generator cannot classify statically, and for those whose static classification calls tiles
/// Partial that are Empty or Full (interval bounds through <c>/</c> and <c>%</c>, as in a 2-D window, prove no tile
/// Empty), where it refines only the Partial tiles. One map per batch and head only when the mask depends on them.
/// </summary>
internal sealed class RuntimeTileMap
{
    /// <summary>Below about this many mask evaluations the map is built on the calling thread.</summary>
    private const double ParallelThresholdPairs = 1 << 20;

    private readonly TileClass[] _classes;
    private readonly bool _perBatch;
    private readonly bool _perHead;
    private readonly int _heads;
    private readonly int _tilesQ;
    private readonly int _tilesKV;

    private RuntimeTileMap(TileClass[] classes, bool perBatch, bool perHead, int heads, int tilesQ, int tilesKV)
    {
        _classes = classes;
        _perBatch = perBatch;
        _perHead = perHead;
        _heads = heads;
        _tilesQ = tilesQ;
        _tilesKV = tilesKV;
    }

    /// <summary>Gets the class of one tile.</summary>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="queryTile">The query tile index.</param>
    /// <param name="keyTile">The key tile index.</param>
    /// <returns>The tile's class.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TileClass Get(int batch, int head, int queryTile, int keyTile)
    {
        int mapBatch = _perBatch ? batch : 0;
        int mapHead = _perHead ? head : 0;
        return _classes[((((mapBatch * _heads) + mapHead) * _tilesQ) + queryTile) * _tilesKV + keyTile];
    }

    /// <summary>
    /// Classifies each tile exactly, evaluating the mask on the pairs of every tile the spec's static classification
    /// (if any) leaves Partial, on several threads for large shapes.
    /// </summary>
    /// <typeparam name="TMods">The spec's mod struct.</typeparam>
    /// <param name="mods">The mods with their captures.</param>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="plan">The tiling.</param>
    /// <param name="maxDegreeOfParallelism">The thread limit; -1 for none.</param>
    /// <returns>The map.</returns>
    public static RuntimeTileMap Build<TMods>(in TMods mods, AttentionShape shape, TilePlan plan, int maxDegreeOfParallelism)
        where TMods : struct, IAttentionMods
    {
        bool perBatch = TMods.MaskDependsOnBatch;
        bool perHead = TMods.MaskDependsOnHead;
        int batches = perBatch ? shape.Batch : 1;
        int heads = perHead ? shape.Heads : 1;
        var classes = new TileClass[(long)batches * heads * plan.TilesQ * plan.TilesKV];
        int rowCount = batches * heads * plan.TilesQ;
        double pairs = (double)batches * heads * shape.SeqQ * shape.SeqKV;
        if (pairs < ParallelThresholdPairs || rowCount == 1 || maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1)
        {
            for (int row = 0; row < rowCount; row++)
            {
                ClassifyTileRow(mods, shape, plan, heads, row, classes);
            }
        }
        else
        {
            TMods shared = mods;
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            try
            {
                Parallel.For(0, rowCount, options, row => ClassifyTileRow(shared, shape, plan, heads, row, classes));
            }
            catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Throw(aggregate.InnerExceptions[0]);
            }
        }

        return new RuntimeTileMap(classes, perBatch, perHead, heads, plan.TilesQ, plan.TilesKV);
    }

    /// <summary>Classifies the key tiles of one (map batch, map head, query tile).</summary>
    private static void ClassifyTileRow<TMods>(in TMods mods, AttentionShape shape, TilePlan plan, int heads, int row, TileClass[] classes)
        where TMods : struct, IAttentionMods
    {
        int queryTile = row % plan.TilesQ;
        int head = (row / plan.TilesQ) % heads;
        int batch = row / plan.TilesQ / heads;
        (int qFirst, int qLast) = QueryRange(shape, plan, queryTile);
        for (int keyTile = 0; keyTile < plan.TilesKV; keyTile++)
        {
            (int kvFirst, int kvLast) = KeyRange(shape, plan, keyTile);
            TileClass tileClass = TMods.HasStaticTileClassification
                ? mods.TryClassifyTile(batch, head, qFirst, qLast, kvFirst, kvLast)
                : TileClass.Partial;
            classes[((long)row * plan.TilesKV) + keyTile] = tileClass == TileClass.Partial
                ? Classify(mods, batch, head, qFirst, qLast, kvFirst, kvLast)
                : tileClass;
        }
    }

    /// <summary>
    /// Whether a spec with a static classification should still get a map for this call: when the exact class of a tile
    /// in the middle query tile's row is Empty or Full where the static one says Partial. Truly partial tiles show it
    /// within a few pairs, so a precise classification costs little to confirm.
    /// </summary>
    /// <typeparam name="TMods">The spec's mod struct, with <see cref="IAttentionMods.HasStaticTileClassification"/>.</typeparam>
    /// <param name="mods">The mods with their captures.</param>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="plan">The tiling.</param>
    /// <returns>True when the static classes are too coarse to use as they are.</returns>
    public static bool RefinesStaticClassification<TMods>(in TMods mods, AttentionShape shape, TilePlan plan)
        where TMods : struct, IAttentionMods
    {
        (int qFirst, int qLast) = QueryRange(shape, plan, plan.TilesQ / 2);
        for (int keyTile = 0; keyTile < plan.TilesKV; keyTile++)
        {
            (int kvFirst, int kvLast) = KeyRange(shape, plan, keyTile);
            if (mods.TryClassifyTile(0, 0, qFirst, qLast, kvFirst, kvLast) == TileClass.Partial
                && Classify(mods, 0, 0, qFirst, qLast, kvFirst, kvLast) != TileClass.Partial)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first and last query position of a query tile (positions, bottom-right aligned).</summary>
    private static (int First, int Last) QueryRange(AttentionShape shape, TilePlan plan, int queryTile)
    {
        int first = (queryTile * plan.TileQ) + shape.QueryPositionOffset;
        return (first, first + Math.Min(plan.TileQ, shape.SeqQ - (queryTile * plan.TileQ)) - 1);
    }

    /// <summary>The first and last key of a key tile.</summary>
    private static (int First, int Last) KeyRange(AttentionShape shape, TilePlan plan, int keyTile)
    {
        int first = keyTile * plan.TileKV;
        return (first, Math.Min(first + plan.TileKV, shape.SeqKV) - 1);
    }

    /// <summary>The exact class of the tile of positions [qFirst, qLast] × keys [kvFirst, kvLast], stopping at the first mixed pair.</summary>
    private static TileClass Classify<TMods>(in TMods mods, int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast)
        where TMods : struct, IAttentionMods
    {
        bool anyKept = false;
        bool anyDropped = false;
        for (int q = qFirst; q <= qLast; q++)
        {
            for (int kv = kvFirst; kv <= kvLast; kv++)
            {
                if (mods.Mask(batch, head, q, kv))
                {
                    anyKept = true;
                }
                else
                {
                    anyDropped = true;
                }

                if (anyKept && anyDropped)
                {
                    return TileClass.Partial;
                }
            }
        }

        return anyKept ? TileClass.Full : TileClass.Empty;
    }
}
