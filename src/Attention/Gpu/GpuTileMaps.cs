using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// Run-time tile maps for the forward kernel, built exactly by the forward unit's <c>na_classify_tiles</c> kernel on the
/// call's stream. A map is cached in device memory when the mask reads no span capture (then it depends only on the shape
/// and the scalar captures, which are part of the key); otherwise the captured device memory may change between
/// calls, so the map is rebuilt per call into stream-ordered scratch, which is cheap on the GPU.
/// </summary>
internal static class GpuTileMaps
{
    private const int CacheCapacity = 256;
    private static readonly ConcurrentDictionary<GpuTileMapKey, Lazy<GpuCachedTileMap>> s_cache = new();

    /// <summary>Gets the number of cached maps (for tests).</summary>
    internal static int CachedCount => s_cache.Count;

    /// <summary>
    /// Returns the map for one forward call, or no map when the spec has no mask or the map grid would not fit.
    /// <paramref name="scratch"/> receives per-call memory that the caller frees, in stream order, after the forward kernel.
    /// </summary>
    public static GpuTileMapView Prepare(
        CudaDevice device,
        CudaStream? stream,
        GpuKernelUnit forward,
        AttentionVariantDescriptor variant,
        GpuMaskTraits mask,
        GpuAttentionShape shape,
        int tileQ,
        int tileKV,
        ReadOnlySpan<byte> captures,
        List<DeviceScratch> scratch)
    {
        int mapBatch = mask.DependsOnBatch ? shape.Batch : 1;
        int mapHeads = mask.DependsOnHead ? shape.Heads : 1;
        long qTiles = ((long)shape.SeqQ + tileQ - 1) / tileQ;
        long kvTiles = ((long)shape.SeqKV + tileKV - 1) / tileKV;
        if (!variant.HasMaskMod || kvTiles == 0 || qTiles > 65535 || kvTiles > int.MaxValue || (long)mapBatch * mapHeads > 65535)
        {
            return default;
        }

        long qStride = kvTiles;
        long headStride = qTiles * kvTiles;
        long batchStride = mapHeads * headStride;
        var layout = new MapLayout(mapBatch, mapHeads, (int)qTiles, (int)kvTiles, batchStride, headStride, qStride, tileQ, tileKV);
        ulong pointer = mask.ReadsSpanCapture || s_cache.Count >= CacheCapacity
            ? BuildPerCall(device, stream, forward, variant, shape, layout, captures, scratch)
            : Cached(device, stream, forward, variant, shape, layout, captures);
        return new GpuTileMapView(pointer, mask.DependsOnBatch ? batchStride : 0, mask.DependsOnHead ? headStride : 0, qStride);
    }

    private static ulong BuildPerCall(
        CudaDevice device, CudaStream? stream, GpuKernelUnit forward, AttentionVariantDescriptor variant, GpuAttentionShape shape, MapLayout layout, ReadOnlySpan<byte> captures, List<DeviceScratch> scratch)
    {
        var map = new DeviceScratch(device, layout.MapBatch * layout.BatchStride, stream);
        scratch.Add(map);
        Classify(forward, stream, variant, shape, layout, map.DevicePointer, captures);
        return map.DevicePointer;
    }

    private static ulong Cached(
        CudaDevice device, CudaStream? stream, GpuKernelUnit forward, AttentionVariantDescriptor variant, GpuAttentionShape shape, MapLayout layout, ReadOnlySpan<byte> captures)
    {
        var key = new GpuTileMapKey(
            variant.CudaSource, device.Ordinal, layout.MapBatch, layout.MapHeads, shape.SeqQ, shape.SeqKV, layout.TileQ, layout.TileKV,
            captures.ToArray());
        Lazy<GpuCachedTileMap> entry = s_cache.GetOrAdd(
            key,
            k => new Lazy<GpuCachedTileMap>(() => Build(device, stream, forward, variant, shape, layout, k.Captures), LazyThreadSafetyMode.ExecutionAndPublication));
        GpuCachedTileMap cached;
        try
        {
            cached = entry.Value;
        }
        catch
        {
            s_cache.TryRemove(new(key, entry));
            throw;
        }

        cached.EnsureReadableFrom(stream);
        return cached.Map.DevicePointer;
    }

    private static GpuCachedTileMap Build(
        CudaDevice device, CudaStream? stream, GpuKernelUnit forward, AttentionVariantDescriptor variant, GpuAttentionShape shape, MapLayout layout, byte[] captures)
    {
        var map = new DeviceBuffer<byte>(device, layout.MapBatch * layout.BatchStride);
        var built = new CudaEvent(device);
        try
        {
            Classify(forward, stream, variant, shape, layout, map.DevicePointer, captures);
            built.Record(stream);
            return new GpuCachedTileMap(map, built, stream);
        }
        catch
        {
            built.Dispose();
            map.Dispose();
            throw;
        }
    }

    private static void Classify(
        GpuKernelUnit forward, CudaStream? stream, AttentionVariantDescriptor variant, GpuAttentionShape shape, MapLayout layout, ulong map, ReadOnlySpan<byte> captures)
    {
        var fields = new GpuClassifyParams
        {
            TileMap = map,
            TileMapBatchStride = layout.BatchStride,
            TileMapHeadStride = layout.HeadStride,
            TileMapQStride = layout.QStride,
            MapBatch = layout.MapBatch,
            MapHeads = layout.MapHeads,
            SeqQ = shape.SeqQ,
            SeqKV = shape.SeqKV,
            TileQ = layout.TileQ,
            TileKV = layout.TileKV,
        };
        GpuParamBlock block = GpuParamBlock.Create(fields, GpuClassifyParams.FieldsEnd, captures, GpuParamBlock.CapturesAlignment(variant));
        var arguments = new KernelArguments();
        arguments.AddBytes(block.AsBytes(), GpuParamBlock.Alignment);
        forward.SecondKernel.Launch(
            new Dim3(layout.KvTiles, layout.QTiles, layout.MapBatch * layout.MapHeads), new Dim3(forward.SecondConfig[0]), 0, stream, arguments);
    }

    private readonly record struct MapLayout(
        int MapBatch, int MapHeads, int QTiles, int KvTiles, long BatchStride, long HeadStride, long QStride, int TileQ, int TileKV);
}
