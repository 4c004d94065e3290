using System;
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

    /// <summary>
    /// Gets whether <see cref="ScoreRow256"/> and <see cref="ScoreRow512"/> apply the score mod with vector instructions
    /// (the generator found a lane-by-lane form of it); when false, kernels call <see cref="Score"/> per score.
    /// </summary>
    static virtual bool HasVectorScore => false;

    /// <summary>
    /// Gets whether <see cref="MaskRow256"/> and <see cref="MaskRow512"/> evaluate the mask mod with vector
    /// instructions; when false, kernels call <see cref="Mask"/> per pair.
    /// </summary>
    static virtual bool HasVectorMask => false;

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
    /// Applies the score mod in place to the scores of consecutive key positions <paramref name="kvFirst"/>,
    /// <paramref name="kvFirst"/> + 1, … of one query, eight at a time, with results identical to <see cref="Score"/>.
    /// </summary>
    /// <param name="scores">The scaled scores of one query row; element j belongs to key position kvFirst + j.</param>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query position.</param>
    /// <param name="kvFirst">The key position of the first score.</param>
    void ScoreRow256(Span<float> scores, int batch, int head, int q, int kvFirst)
    {
        for (int j = 0; j < scores.Length; j++)
        {
            scores[j] = Score(scores[j], batch, head, q, kvFirst + j);
        }
    }

    /// <summary>
    /// Applies the score mod in place to the scores of consecutive key positions, sixteen at a time; see
    /// <see cref="ScoreRow256"/>.
    /// </summary>
    /// <param name="scores">The scaled scores of one query row; element j belongs to key position kvFirst + j.</param>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query position.</param>
    /// <param name="kvFirst">The key position of the first score.</param>
    void ScoreRow512(Span<float> scores, int batch, int head, int q, int kvFirst) => ScoreRow256(scores, batch, head, q, kvFirst);

    /// <summary>
    /// Sets to negative infinity, eight at a time, the scores of consecutive key positions <paramref name="kvFirst"/>,
    /// <paramref name="kvFirst"/> + 1, … of one query whose pair <see cref="Mask"/> drops; kept scores are unchanged.
    /// </summary>
    /// <param name="scores">The scores of one query row; element j belongs to key position kvFirst + j.</param>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query position.</param>
    /// <param name="kvFirst">The key position of the first score.</param>
    void MaskRow256(Span<float> scores, int batch, int head, int q, int kvFirst)
    {
        for (int j = 0; j < scores.Length; j++)
        {
            if (!Mask(batch, head, q, kvFirst + j))
            {
                scores[j] = float.NegativeInfinity;
            }
        }
    }

    /// <summary>
    /// Sets to negative infinity, sixteen at a time, the scores whose pair the mask drops; see <see cref="MaskRow256"/>.
    /// </summary>
    /// <param name="scores">The scores of one query row; element j belongs to key position kvFirst + j.</param>
    /// <param name="batch">The batch index.</param>
    /// <param name="head">The query head index.</param>
    /// <param name="q">The absolute query position.</param>
    /// <param name="kvFirst">The key position of the first score.</param>
    void MaskRow512(Span<float> scores, int batch, int head, int q, int kvFirst) => MaskRow256(scores, batch, head, q, kvFirst);

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
