using System;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// Checks a mods struct's vector row methods against its scalar Score and Mask, bit for bit (NaN for NaN), on rows of awkward lengths
/// filled with random scores and NaN, ±Inf and ±0, at negative and positive query and key positions. A score mod that
/// calls Tanh is checked within a few ulp instead (see SpecVectorMath's remarks).
/// </summary>
internal static class VectorRowChecker
{
    public static readonly int[] Counts = [0, 1, 7, 8, 9, 16, 17, 33, 64, 100];

    /// <summary>Compares ScoreRow256, ScoreRow512, MaskRow256 and MaskRow512 with the scalar mods over many random rows.</summary>
    /// <param name="mods">The mods.</param>
    /// <param name="heads">Heads to draw from.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="scoreUlps">How many ulp a vector score may differ from the scalar one: 0 but for a mod calling Tanh.</param>
    public static void Check<TMods>(TMods mods, int heads, int seed, int scoreUlps = 0)
        where TMods : struct, IAttentionMods
    {
        var rng = new Random(seed);
        foreach (int count in Counts)
        {
            for (int round = 0; round < 40; round++)
            {
                int batch = rng.Next(0, 3), head = rng.Next(0, heads), q = rng.Next(-40, 120), kvFirst = rng.Next(-40, 120);
                float[] scores = RandomScores(rng, count);
                string where = $"count {count} batch {batch} head {head} q {q} kvFirst {kvFirst}";
                if (TMods.HasVectorScore)
                {
                    float[] expected = new float[count];
                    for (int j = 0; j < count; j++)
                    {
                        expected[j] = mods.Score(scores[j], batch, head, q, kvFirst + j);
                    }

                    AssertBits(scores, expected, Run(scores, row => mods.ScoreRow256(row, batch, head, q, kvFirst)), "ScoreRow256 " + where, scoreUlps);
                    AssertBits(scores, expected, Run(scores, row => mods.ScoreRow512(row, batch, head, q, kvFirst)), "ScoreRow512 " + where, scoreUlps);
                }

                if (TMods.HasVectorMask)
                {
                    float[] expected = (float[])scores.Clone();
                    for (int j = 0; j < count; j++)
                    {
                        if (!mods.Mask(batch, head, q, kvFirst + j))
                        {
                            expected[j] = float.NegativeInfinity;
                        }
                    }

                    AssertBits(scores, expected, Run(scores, row => mods.MaskRow256(row, batch, head, q, kvFirst)), "MaskRow256 " + where);
                    AssertBits(scores, expected, Run(scores, row => mods.MaskRow512(row, batch, head, q, kvFirst)), "MaskRow512 " + where);
                }
            }
        }
    }

    private delegate void RowAction(Span<float> row);

    private static float[] Run(float[] scores, RowAction action)
    {
        float[] row = (float[])scores.Clone();
        action(row);
        return row;
    }

    private static float[] RandomScores(Random rng, int count)
    {
        float[] specials = [float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, float.Epsilon];
        float[] scores = new float[count];
        for (int j = 0; j < count; j++)
        {
            scores[j] = rng.Next(4) == 0 ? specials[rng.Next(specials.Length)] : (float)((rng.NextDouble() - 0.5) * 40);
        }

        return scores;
    }

    private static void AssertBits(float[] input, float[] expected, float[] actual, string where, int ulps = 0)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            // When both operands of an x86 float operation are NaN, the result is the first one, and the JIT may commute
            // an addition or product: which NaN comes out is not fixed even for the scalar code, so any NaN matches a NaN.
            bool same = float.IsNaN(expected[j])
                ? float.IsNaN(actual[j])
                : Math.Abs((long)BitConverter.SingleToInt32Bits(expected[j]) - BitConverter.SingleToInt32Bits(actual[j])) <= ulps;
            Assert.True(
                same,
                $"{where}: element {j} (input 0x{BitConverter.SingleToInt32Bits(input[j]):x8}) is {actual[j]} (0x{BitConverter.SingleToInt32Bits(actual[j]):x8}), the scalar mod gives {expected[j]} (0x{BitConverter.SingleToInt32Bits(expected[j]):x8}).");
        }
    }
}
