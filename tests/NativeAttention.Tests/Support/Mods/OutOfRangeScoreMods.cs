namespace NativeAttention.Tests.Support;

/// <summary>A user's bug: the score mod indexes a capture by kv without checking its length.</summary>
public readonly struct OutOfRangeScoreMods(CaptureSpan<float> bias) : IAttentionMods
{
    public static bool HasScoreMod => true;

    public static bool HasMaskMod => false;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score + bias.Span[kv];

    public bool Mask(int batch, int head, int q, int kv) => true;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => TileClass.Full;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(bias.Span);
}
