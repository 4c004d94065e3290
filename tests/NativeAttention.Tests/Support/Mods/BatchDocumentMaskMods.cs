using System;

namespace NativeAttention.Tests.Support;

/// <summary>
/// Non-causal attention within documents whose ids differ per batch: ids[batch·seqKV + q] = ids[batch·seqKV + kv].
/// Classified at run time, one tile map per batch.
/// </summary>
public readonly struct BatchDocumentMaskMods(CaptureSpan<int> documentIds, int seqKV) : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => false;

    public static bool MaskDependsOnBatch => true;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) =>
        q >= 0 && documentIds.Span[(batch * seqKV) + q] == documentIds.Span[(batch * seqKV) + kv];

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => TileClass.Partial;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
        if (documentIds.Length < batch * seqKV)
        {
            throw new ArgumentException(
                $"Expected capture documentIds.Length ≥ batch·seqKV = {batch * seqKV}, but got {documentIds.Length}.", "documentIds");
        }
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(documentIds.Span, Fingerprint.Of(seqKV));
}
