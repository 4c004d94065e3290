using System;

namespace NativeAttention;

/// <summary>
/// ALiBi (Press et al., "Train Short, Test Long"): causal attention with a linear distance penalty per head,
/// <c>score + slopes[head] · (kv − q)</c>. Use <see cref="GeometricSlopes(int)"/> for the paper's slopes.
/// </summary>
[AttentionVariant]
public static partial class Alibi
{
    /// <summary>Computes the standard ALiBi slopes: for a power of two n, 2^(−8i/n) for i = 1..n; otherwise the
    /// slopes of the largest power of two p below n, followed by 2^(−8(2k+1)/2p) for k = 0..n−p−1.</summary>
    /// <param name="heads">The number of query heads.</param>
    /// <returns>One slope per head.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heads"/> is not positive.</exception>
    public static float[] GeometricSlopes(int heads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        var slopes = new float[heads];
        int power = 1 << (31 - int.LeadingZeroCount(heads));
        for (int i = 0; i < power; i++)
        {
            slopes[i] = (float)Math.Pow(2.0, -8.0 * (i + 1) / power);
        }

        // Extra heads take every other slope of the next power of two (those that fall between the ones above).
        for (int i = power; i < heads; i++)
        {
            int j = 2 * (i - power);
            slopes[i] = (float)Math.Pow(2.0, -8.0 * (j + 1) / (2 * power));
        }

        return slopes;
    }

    [ScoreMod]
    private static float Score(float score, int batch, int head, int q, int kv, ReadOnlySpan<float> slopes)
        => score + (slopes[head] * (kv - q));

    [MaskMod]
    private static bool Mask(int batch, int head, int q, int kv) => kv <= q;
}
