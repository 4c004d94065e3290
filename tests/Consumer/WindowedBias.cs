using System;
using NativeAttention;

namespace Consumer;

/// <summary>A consumer's own variant: per-head bias and temperature over a causal sliding window.</summary>
[AttentionVariant]
public static partial class WindowedBias
{
    [ScoreMod]
    private static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> headBias, float temperature)
        => (score / temperature) + headBias[head];

    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv, int window) => kv <= q && q - kv < window;
}
