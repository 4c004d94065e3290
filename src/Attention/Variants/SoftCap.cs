using System;

namespace NativeAttention;

/// <summary>Logit soft-capping (Gemma 2, Grok): scores are squashed smoothly into (−cap, cap) by <c>cap · tanh(score / cap)</c>.</summary>
[AttentionVariant]
public static partial class SoftCap
{
    [ScoreMod]
    private static float Score(float score, int batch, int head, int q, int kv, float cap) => cap * MathF.Tanh(score / cap);
}
