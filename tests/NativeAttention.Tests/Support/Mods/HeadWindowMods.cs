using System;

namespace NativeAttention.Tests.Support;

/// <summary>
/// A causal window that differs per head, q − windows[head] &lt; kv ≤ q, classified at run time with one tile map per
/// head.
/// </summary>
public readonly struct HeadWindowMods(CaptureSpan<int> windows) : IAttentionMods
{
    public static bool HasScoreMod => false;

    public static bool HasMaskMod => true;

    public static bool HasStaticTileClassification => false;

    public static bool MaskDependsOnBatch => false;

    public static bool MaskDependsOnHead => true;

    public float Score(float score, int batch, int head, int q, int kv) => score;

    public bool Mask(int batch, int head, int q, int kv) => kv <= q && kv > q - windows.Span[head];

    public TileClass TryClassifyTile(int batch, int head, int qFirst, int qLast, int kvFirst, int kvLast) => TileClass.Partial;

    public void ValidateCaptures(int batch, int heads, int seqQ, int seqKV)
    {
        if (windows.Length < heads)
        {
            throw new ArgumentException($"Expected capture windows.Length ≥ heads = {heads}, but got {windows.Length}.", "windows");
        }
    }

    public ulong CaptureFingerprint() => Fingerprint.Of(windows.Span);
}
