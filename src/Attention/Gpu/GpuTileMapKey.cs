namespace NativeAttention;

/// <summary>What a cached run-time tile map depends on: the mask (by its spec's source), device, map shape, tiles and the scalar captures.</summary>
internal readonly record struct GpuTileMapKey(
    string CudaSource, int DeviceOrdinal, int MapBatch, int MapHeads, int SeqQ, int SeqKV, int TileQ, int TileKV, string Captures);
