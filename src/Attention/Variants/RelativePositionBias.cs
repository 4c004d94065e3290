using System;

namespace NativeAttention;

/// <summary>
/// Learned relative position bias in the style of Music Transformer / T5: each head adds a learned bias for the
/// clipped relative distance <c>clamp(kv − q, −maxDistance, maxDistance)</c>. <c>bias</c> holds
/// <c>heads × (2·maxDistance + 1)</c> values, row per head.
/// </summary>
[AttentionVariant]
public static partial class RelativePositionBias
{
    [ScoreMod]
    private static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> bias, int maxDistance)
        => score + bias[(head * ((2 * maxDistance) + 1)) + Math.Clamp(kv - q, -maxDistance, maxDistance) + maxDistance];
}
