namespace NativeAttention.Tests.Support;

/// <summary>Keeps only keys in [<c>firstKept</c>, <c>endKept</c>), with exact tile classification.</summary>
public readonly struct KeyRangeMods(int firstKept, int endKept) : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => true;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => false;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => kv >= firstKept && kv < endKept;

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast)
    {
        if (kvLast < firstKept || kvFirst >= endKept)
        {
            return TileClass.Empty;
        }

        return kvFirst >= firstKept && kvLast < endKept ? TileClass.Full : TileClass.Partial;
    }

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
    }

    public ulong CaptureFingerprint() => Fingerprint.Of<int>([firstKept, endKept]);
}
