using System;

namespace NativeAttention.Tests.Support;

/// <summary>
/// Causal attention within documents: ids[q] = ids[kv] and kv ≤ q. The mask reads a capture at q and kv, which no
/// interval analysis bounds, so its tiles are classified at run time. Like a careless user spec, it indexes ids[q]
/// without checking that q ≥ 0, so it throws when seqQ > seqKV.
/// </summary>
public readonly struct DocumentMaskMods(CaptureSpan<int> documentIds) : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => false;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => documentIds.Span[q] == documentIds.Span[kv] && kv <= q;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => TileClass.Partial;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
        if (documentIds.Length < seqKV)
        {
            throw new ArgumentException($"Expected capture documentIds.Length ≥ seqKV = {seqKV}, but got {documentIds.Length}.", "documentIds");
        }
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(documentIds.Span);
}
