using System;
using Xunit;

namespace NativeAttention.Tests.Support;

/// <summary>Element-wise comparisons of attention outputs with an error bound of tolerance · (1 + |expected|).</summary>
public static class AttentionAssert
{
    public static double ToleranceFor<T>() => typeof(T) == typeof(float) ? 1e-5 : 1e-2;

    public static void Close<T>(TestTensor<T> expected, TestTensor<T> actual, double tolerance)
        where T : unmanaged
    {
        int mismatches = 0;
        string? first = null;
        double worst = 0;
        for (int b = 0; b < expected.Lengths[0]; b++)
        {
            for (int h = 0; h < expected.Lengths[1]; h++)
            {
                for (int s = 0; s < expected.Lengths[2]; s++)
                {
                    for (int d = 0; d < expected.Lengths[3]; d++)
                    {
                        double e = expected.At(b, h, s, d);
                        double a = actual.At(b, h, s, d);
                        double error = Math.Abs(a - e) / (1 + Math.Abs(e));
                        if (!(error <= tolerance))
                        {
                            mismatches++;
                            first ??= $"[{b}, {h}, {s}, {d}]: expected {e}, got {a}";
                        }

                        if (error > worst)
                        {
                            worst = error;
                        }
                    }
                }
            }
        }

        Assert.True(mismatches == 0, $"{mismatches} elements differ by more than {tolerance} (scaled); first {first}; worst {worst}.");
    }

    public static void LogSumExpClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNegativeInfinity(expected[i]))
            {
                Assert.True(float.IsNegativeInfinity(actual[i]), $"LSE[{i}]: expected -inf, got {actual[i]}.");
                continue;
            }

            double error = Math.Abs(actual[i] - (double)expected[i]) / (1 + Math.Abs(expected[i]));
            Assert.True(error <= tolerance, $"LSE[{i}]: expected {expected[i]}, got {actual[i]} (scaled error {error}).");
        }
    }

    /// <summary>Asserts that every element outside the [batch, heads, seq, dim] view (row padding) is still NaN.</summary>
    public static void PaddingUntouched<T>(TestTensor<T> output)
        where T : unmanaged
    {
        var inView = new bool[output.Data.Length];
        for (int b = 0; b < output.Lengths[0]; b++)
        {
            for (int h = 0; h < output.Lengths[1]; h++)
            {
                for (int s = 0; s < output.Lengths[2]; s++)
                {
                    for (int d = 0; d < output.Lengths[3]; d++)
                    {
                        inView[output.Offset(b, h, s, d)] = true;
                    }
                }
            }
        }

        for (int i = 0; i < inView.Length; i++)
        {
            if (!inView[i])
            {
                Assert.True(double.IsNaN(Elements.ToDouble(output.Data[i])), $"Padding element {i} was written.");
            }
        }
    }
}
