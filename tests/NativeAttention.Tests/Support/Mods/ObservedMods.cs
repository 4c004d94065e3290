namespace NativeAttention.Tests.Support;

/// <summary>Forwards to <typeparamref name="TInner"/> and tells an observer every call the kernel makes.</summary>
public readonly struct ObservedMods<TInner>(TInner inner, ModsObserver observer) : IAttentionMods
    where TInner : struct, IAttentionMods
{
    public static bool HasScoreMod => TInner.HasScoreMod;

    public static bool HasMaskMod => TInner.HasMaskMod;

    public static bool HasStaticTileClassification => TInner.HasStaticTileClassification;

    public static bool MaskDependsOnBatch => TInner.MaskDependsOnBatch;

    public static bool MaskDependsOnHead => TInner.MaskDependsOnHead;

    public float Score(float score, int batch, int head, int q, int kv)
    {
        observer.OnScore(batch, head, q, kv);
        return inner.Score(score, batch, head, q, kv);
    }

    public bool Mask(int batch, int head, int q, int kv)
    {
        observer.OnMask(batch, head, q, kv);
        return inner.Mask(batch, head, q, kv);
    }

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast)
    {
        TileClass tileClass = inner.TryClassifyTile(batch, head, qFirst, qLast, kvFirst, kvLast);
        observer.OnClassify(batch, head, qFirst, qLast, kvFirst, kvLast, tileClass);
        return tileClass;
    }

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV) => inner.ValidateCaptures(batch, heads, seqQ, seqKV);

    public ulong CaptureFingerprint() => inner.CaptureFingerprint();
}
