namespace NativeAttention.Tests.Support;

/// <summary>Causal mask kv ≤ q with exact tile classification.</summary>
public readonly struct CausalMods : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => kv <= q;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => Classify(qFirst, qLast, kvFirst, kvLast);

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => 0;

    public static TileClass Classify(int qFirst, int qLast, int kvFirst, int kvLast) =>
        kvFirst > qLast ? TileClass.Empty : kvLast <= qFirst ? TileClass.Full : TileClass.Partial;
}
