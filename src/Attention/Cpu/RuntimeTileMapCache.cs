using System.Collections.Generic;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// A bounded process-wide cache of run-time tile maps, so that a mask without a usable static classification is
/// evaluated per pair once per (shape, tiling, spec, capture values) rather than on every call.
/// </summary>
internal static class RuntimeTileMapCache
{
    private const int Capacity = 64;

    private static readonly Lock s_lock = new();
    private static readonly Dictionary<RuntimeTileMapKey, RuntimeTileMap?> s_maps = new();
    private static readonly Queue<RuntimeTileMapKey> s_insertionOrder = new();

    /// <summary>Returns the cached map for these mods and shape, building and caching it on a miss.</summary>
    /// <typeparam name="TMods">The spec's mod struct.</typeparam>
    /// <param name="mods">The mods with their captures.</param>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="plan">The tiling.</param>
    /// <param name="maxDegreeOfParallelism">The thread limit for building; -1 for none.</param>
    /// <returns>The map, or null when the spec's static classification is used as it is.</returns>
    public static RuntimeTileMap? GetOrBuild<TMods>(in TMods mods, AttentionShape shape, TilePlan plan, int maxDegreeOfParallelism)
        where TMods : struct, IAttentionMods
    {
        // One query tile (decode) keeps a static classification and caches nothing, so that a growing KV cache, whose
        // shape changes every call, adds no entries.
        if (TMods.HasStaticTileClassification && plan.TilesQ < 2)
        {
            return null;
        }

        var key = new RuntimeTileMapKey(
            typeof(TMods),
            mods.CaptureFingerprint(),
            TMods.MaskDependsOnBatch ? shape.Batch : 0,
            TMods.MaskDependsOnHead ? shape.Heads : 0,
            shape.SeqQ,
            shape.SeqKV,
            plan.TileQ,
            plan.TileKV);

        lock (s_lock)
        {
            if (s_maps.TryGetValue(key, out RuntimeTileMap? cached))
            {
                return cached;
            }
        }

        // Built outside the lock: the mask is user code that may be slow or throw. A static classification that holds is
        // cached as null, so that the check runs once per shape.
        RuntimeTileMap? built = !TMods.HasStaticTileClassification || RuntimeTileMap.RefinesStaticClassification(mods, shape, plan)
            ? RuntimeTileMap.Build(mods, shape, plan, maxDegreeOfParallelism)
            : null;
        lock (s_lock)
        {
            if (s_maps.TryGetValue(key, out RuntimeTileMap? raced))
            {
                return raced;
            }

            if (s_maps.Count >= Capacity)
            {
                s_maps.Remove(s_insertionOrder.Dequeue());
            }

            s_maps.Add(key, built);
            s_insertionOrder.Enqueue(key);
            return built;
        }
    }
}
