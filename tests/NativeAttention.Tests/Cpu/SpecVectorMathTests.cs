using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The lane operations behind vectorized spec mods: division equals C#'s int division on every path, tanh stays within
/// 1 ulp of the exact value at both widths, and gathers read what indexing reads, on every path.
/// </summary>
public sealed class SpecVectorMathTests
{
    private static readonly int[] Divisors = [1, 2, 3, 7, 32, -2, -3, -32, 1000003, -1000003, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1];

    [Fact]
    public void EveryPathDividesAsCSharpDoes()
    {
        var rng = new Random(7);
        int[] dividends = new int[Vector512<int>.Count];
        for (int round = 0; round < 2000; round++)
        {
            for (int i = 0; i < dividends.Length; i++)
            {
                dividends[i] = round < 4
                    ? new[] { int.MinValue, int.MaxValue, 0, -1, 1, int.MinValue + 1, int.MaxValue - 1, 31, -31, 32, -32, 33, 65, -65, 1 << 30, -(1 << 30) }[i]
                    : rng.Next(int.MinValue, int.MaxValue);
            }

            foreach (int divisor in Divisors)
            {
                var lanes512 = Vector512.Create(dividends);
                var lanes256 = lanes512.GetLower();
                Vector256<int> fast = SpecVectorMath.Divide(lanes256, divisor);
                Vector256<int> portable = SpecVectorMath.DividePortable(lanes256, divisor);
                Vector512<int> wide = SpecVectorMath.Divide(lanes512, divisor);
                for (int i = 0; i < dividends.Length; i++)
                {
                    int expected = dividends[i] / divisor;
                    Assert.Equal(expected, wide[i]);
                    if (i < Vector256<int>.Count)
                    {
                        Assert.Equal(expected, fast[i]);
                        Assert.Equal(expected, portable[i]);
                    }
                }
            }
        }
    }

    [Fact]
    public void TanhIsWithinOneUlpOfTheExactValue()
    {
        var rng = new Random(11);
        float[] inputs = new float[Vector512<float>.Count];
        for (int round = 0; round < 40000; round++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                // Every binade from 2^-30 to 2^5 (the saturation at 10 included), and in the first rounds evenly spaced
                // bit patterns of [0, 10], where the small-argument bound and the clamp switch over.
                inputs[i] = round < 20000
                    ? BitConverter.Int32BitsToSingle((int)((long)((round * inputs.Length) + i) * BitConverter.SingleToInt32Bits(10f) / (20000 * inputs.Length)))
                    : (float)((rng.NextDouble() * 2 - 1) * Math.Pow(2, rng.Next(-30, 6)));
                if (rng.Next(2) == 0)
                {
                    inputs[i] = -inputs[i];
                }
            }

            var lanes512 = Vector512.Create(inputs);
            Vector512<float> wide = SpecVectorMath.Tanh(lanes512);
            Vector256<float> narrow = SpecVectorMath.Tanh(lanes512.GetLower());
            for (int i = 0; i < inputs.Length; i++)
            {
                float exact = (float)Math.Tanh(inputs[i]);
                AssertWithinOneUlp(exact, wide[i], inputs[i]);
                if (i < Vector256<float>.Count)
                {
                    AssertWithinOneUlp(exact, narrow[i], inputs[i]);
                }
            }
        }
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(float.PositiveInfinity, 1f)]
    [InlineData(float.NegativeInfinity, -1f)]
    [InlineData(float.MaxValue, 1f)]
    [InlineData(-20f, -1f)]
    [InlineData(9.5f, 1f)]
    [InlineData(float.Epsilon, float.Epsilon)]
    [InlineData(-1e-5f, -1e-5f)]
    [InlineData(float.NaN, float.NaN)]
    public void TanhKeepsTheSpecialValues(float x, float expected)
    {
        foreach (float actual in new[] { SpecVectorMath.Tanh(Vector256.Create(x))[3], SpecVectorMath.Tanh(Vector512.Create(x))[11] })
        {
            if (float.IsNaN(expected))
            {
                Assert.True(float.IsNaN(actual));
            }
            else
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
            }
        }
    }

    [Fact]
    public void TanhKeepsTheSignOfZero()
    {
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(SpecVectorMath.Tanh(Vector256.Create(-0f))[0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(SpecVectorMath.Tanh(Vector512.Create(-0f))[0]));
    }

    [Fact]
    public unsafe void GathersReadWhatIndexingReadsOnEveryPath()
    {
        float[] floats = new float[37];
        int[] ints = new int[37];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = (i * 1.5f) - 7f;
            ints[i] = (i * 31) - 500;
        }

        int[] lanes = [36, 0, 5, 5, 17, 1, 35, 2, 9, 10, 11, 0, 36, 30, 3, 4];
        var index512 = Vector512.Create(lanes);
        fixed (float* floatPointer = floats)
        fixed (int* intPointer = ints)
        {
            var floatCapture = new CaptureSpan<float>(floatPointer, floats.Length);
            var intCapture = new CaptureSpan<int>(intPointer, ints.Length);
            Vector512<float> wideFloats = SpecVectorMath.Gather(floatCapture, index512);
            Vector512<int> wideInts = SpecVectorMath.Gather(intCapture, index512);
            Vector256<float> portable = SpecVectorMath.GatherPortable(floatPointer, index512.GetLower());
            for (int i = 0; i < lanes.Length; i++)
            {
                Assert.Equal(floats[lanes[i]], wideFloats[i]);
                Assert.Equal(ints[lanes[i]], wideInts[i]);
                if (i < Vector256<int>.Count)
                {
                    Assert.Equal(floats[lanes[i]], SpecVectorMath.Gather(floatCapture, index512.GetLower())[i]);
                    Assert.Equal(floats[lanes[i]], portable[i]);
                }
            }
        }

        Assert.True(SpecVectorMath.AllWithin(index512, 37));
        Assert.False(SpecVectorMath.AllWithin(index512, 36));
        Assert.False(SpecVectorMath.AllWithin(Vector256.Create(-1), 37));
        Assert.False(SpecVectorMath.AllWithin(Vector512.Create(int.MinValue), int.MaxValue));
        Assert.False(SpecVectorMath.AllWithin(Vector256.Create(0), 0));
    }

    private static void AssertWithinOneUlp(float expected, float actual, float input)
    {
        long ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));
        Assert.True(ulps <= 1, $"tanh({input:R}) = {actual:R}, exact {expected:R}: {ulps} ulp apart.");
    }
}
