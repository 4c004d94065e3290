using System;

namespace NativeAttention.Tests.Support;

/// <summary>ALiBi: score + slopes[head]·(kv − q) under a causal mask; slopes a span capture.</summary>
public readonly struct AlibiMods(CaptureSpan<float> slopes) : IAttentionMods
{
    public static bool HasScoreMod => true;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score + (slopes.Span[head] * (kv - q));

    public bool Mask(int batch, int head, int q, int kv) => kv <= q;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) =>
        CausalMods.Classify(qFirst, qLast, kvFirst, kvLast);

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
        if (slopes.Length < heads)
        {
            throw new ArgumentException($"Expected capture slopes.Length ≥ heads = {heads}, but got {slopes.Length}.", "slopes");
        }
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(slopes.Span);
}
