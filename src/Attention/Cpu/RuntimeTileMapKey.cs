using System;

namespace NativeAttention;

/// <summary>What a cached <see cref="RuntimeTileMap"/> was built for; batch and heads are 0 when the mask ignores them.</summary>
/// <param name="Mods">The spec's mod struct type.</param>
/// <param name="CaptureFingerprint">The hash of the capture values.</param>
/// <param name="Batch">The batch size, when the mask depends on the batch.</param>
/// <param name="Heads">The number of query heads, when the mask depends on the head.</param>
/// <param name="SeqQ">The number of queries.</param>
/// <param name="SeqKV">The number of keys.</param>
/// <param name="TileQ">Queries per tile.</param>
/// <param name="TileKV">Keys per tile.</param>
internal readonly record struct RuntimeTileMapKey(
    Type Mods,
    ulong CaptureFingerprint,
    int Batch,
    int Heads,
    int SeqQ,
    int SeqKV,
    int TileQ,
    int TileKV);
