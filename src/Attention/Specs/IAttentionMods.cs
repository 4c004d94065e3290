using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// The CPU form of a spec's mods. The generator emits one struct per spec that implements it; kernels take the
/// struct as a generic type argument, so the JIT specializes and inlines every call.
/// </summary>
/// <remarks>Implemented by generated code; not meant to be implemented by hand.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IAttentionMods
{
    /// <summary>Gets whether the spec has a score mod; without one the score is used as it is.</summary>
    static abstract bool HasScoreMod { get; }

    /// <summary>Gets whether the spec has a mask mod; without one every pair is kept.</summary>
    static abstract bool HasMaskMod { get; }

    /// <summary>
    /// Gets whether <see cref="TryClassifyTile"/> is exact enough to drive block sparsity on its own. When false
    /// (the mask reads captures at positions the generator cannot bound), kernels classify tiles at run time.
    /// </summary>
    static abstract bool HasStaticTileClassification { get; }

    /// <summary>Gets whether the mask depends on the batch index.</summary>
    static abstract bool MaskDependsOnBatch { get; }

    /// <summary>Gets whether the mask depends on the head index.</summary>
    static abstract bool MaskDependsOnHead { get; }

    /// <summary>Applies the score mod to one scaled score at absolute positions <paramref name="q"/>, <paramref name="kv"/>.</summary>
    /// <param name="score">The scaled score q·k·scale.</param>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query position.</param>
    /// <param name="kv">The key position.</param>
    /// <returns>The modified score.</returns>
    float Score(float score, int batch, int head, int q, int kv);

    /// <summary>Evaluates the mask mod for one pair.</summary>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query position.</param>
    /// <param name="kv">The key position.</param>
    /// <returns><see langword="true"/> to keep the pair.</returns>
    bool Mask(int batch, int head, int q, int kv);

    /// <summary>
    /// Classifies the tile of absolute query positions [<paramref name="qFirst"/>, <paramref name="qLast"/>] and key
    /// positions [<paramref name="kvFirst"/>, <paramref name="kvLast"/>] (both inclusive) by interval analysis.
    /// </summary>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="qFirst">The first absolute query position of the tile.</param>
    /// <param name="qLast">The last absolute query position of the tile.</param>
    /// <param name="kvFirst">The first key position of the tile.</param>
    /// <param name="kvLast">The last key position of the tile.</param>
    /// <returns>
    /// <see cref="TileClass.Empty"/> or <see cref="TileClass.Full"/> only when that is proven for every pair in the
    /// tile; <see cref="TileClass.Partial"/> otherwise. Never wrong, possibly conservative.
    /// </returns>
    TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast);

    /// <summary>
    /// Checks the lengths of span captures that the spec indexes with a bare index (batch, head, q or kv) against
    /// the call's shape, and throws <see cref="System.ArgumentException"/> naming the capture, the expected minimum
    /// length and the actual length.
    /// </summary>
    /// <param name="batch">The batch size.</param>
    /// <param name="heads">The number of query heads.</param>
    /// <param name="seqQ">The number of queries.</param>
    /// <param name="seqKV">The number of keys.</param>
    void ValidateCaptures(int batch, int heads, int seqQ, int seqKV);

    /// <summary>
    /// Hashes the values of every capture, so that cached run-time tile maps are reused only for the same captures.
    /// </summary>
    /// <returns>A 64-bit fingerprint of the capture values.</returns>
    ulong CaptureFingerprint();
}
