namespace NativeAttention.Tests.Support;

/// <summary>No score mod, no mask: plain softmax attention.</summary>
public readonly struct DenseMods : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => false;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => true;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => TileClass.Full;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => 0;
}
