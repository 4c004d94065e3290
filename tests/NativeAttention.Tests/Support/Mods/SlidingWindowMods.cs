namespace NativeAttention.Tests.Support;

/// <summary>Causal sliding window q − window &lt; kv ≤ q, the window a scalar capture.</summary>
public readonly struct SlidingWindowMods(int window) : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => kv <= q && kv > q - window;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast)
    {
        if (kvFirst > qLast || kvLast <= qFirst - window)
        {
            return TileClass.Empty;
        }

        return kvLast <= qFirst && kvFirst > qLast - window ? TileClass.Full : TileClass.Partial;
    }

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(window);
}
