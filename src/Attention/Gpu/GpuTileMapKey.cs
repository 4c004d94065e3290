using System;

namespace NativeAttention;

/// <summary>
/// What makes one cached tile map differ from another: the spec, device, the map's batch and head extent, the
/// sequence lengths, the tile sizes and the scalar captures' bytes.
/// </summary>
/// <remarks>A class with hand-written equality for the reason given on <see cref="GpuModuleKey"/>.</remarks>
internal sealed class GpuTileMapKey(
    string cudaSource, int deviceOrdinal, int mapBatch, int mapHeads, int seqQ, int seqKV, int tileQ, int tileKV, byte[] captures)
    : IEquatable<GpuTileMapKey>
{
    /// <summary>Gets the spec's CudaSource.</summary>
    public string CudaSource { get; } = cudaSource;

    /// <summary>Gets the device's ordinal.</summary>
    public int DeviceOrdinal { get; } = deviceOrdinal;

    /// <summary>Gets the batches the map covers (1 when the mask ignores the batch).</summary>
    public int MapBatch { get; } = mapBatch;

    /// <summary>Gets the heads the map covers (1 when the mask ignores the head).</summary>
    public int MapHeads { get; } = mapHeads;

    /// <summary>Gets the query length.</summary>
    public int SeqQ { get; } = seqQ;

    /// <summary>Gets the key length.</summary>
    public int SeqKV { get; } = seqKV;

    /// <summary>Gets the query rows per tile.</summary>
    public int TileQ { get; } = tileQ;

    /// <summary>Gets the keys per tile.</summary>
    public int TileKV { get; } = tileKV;

    /// <summary>Gets the captures' bytes (scalars only: a mask reading a span capture is never cached).</summary>
    public byte[] Captures { get; } = captures;

    /// <inheritdoc/>
    public bool Equals(GpuTileMapKey? other)
        => other is not null
            && DeviceOrdinal == other.DeviceOrdinal
            && MapBatch == other.MapBatch
            && MapHeads == other.MapHeads
            && SeqQ == other.SeqQ
            && SeqKV == other.SeqKV
            && TileQ == other.TileQ
            && TileKV == other.TileKV
            && Captures.AsSpan().SequenceEqual(other.Captures)
            && string.Equals(CudaSource, other.CudaSource, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as GpuTileMapKey);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        // Plain arithmetic: a collection expression or HashCode.Add<T> here costs JIT-compiled generics on a first call.
        int hash = CudaSource.GetHashCode();
        hash = (hash * 31) + DeviceOrdinal;
        hash = (hash * 31) + MapBatch;
        hash = (hash * 31) + MapHeads;
        hash = (hash * 31) + SeqQ;
        hash = (hash * 31) + SeqKV;
        hash = (hash * 31) + TileQ;
        hash = (hash * 31) + TileKV;
        foreach (byte part in Captures)
        {
            hash = (hash * 31) + part;
        }

        return hash;
    }
}
