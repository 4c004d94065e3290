namespace NativeAttention;

/// <summary>Plain softmax attention: every query attends to every key, scores unchanged.</summary>
[AttentionVariant]
public static partial class Dense
{
    [ScoreMod]
    private static float Score(float score, int batch, int head, int q, int kv) => score;
}
