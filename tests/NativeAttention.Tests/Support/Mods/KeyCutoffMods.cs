namespace NativeAttention.Tests.Support;

/// <summary>Keeps only keys at or after <c>firstKept</c>, with exact tile classification.</summary>
public readonly struct KeyCutoffMods(int firstKept) : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => kv >= firstKept;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) =>
        kvLast < firstKept ? TileClass.Empty : kvFirst >= firstKept ? TileClass.Full : TileClass.Partial;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(firstKept);
}
