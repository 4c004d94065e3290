using System;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>The micro-kernels of both widths against plain double loops, on sizes that exercise every tail.</summary>
public sealed unsafe class SimdKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 13)]
    [InlineData(4, 8, 16)]
    [InlineData(5, 9, 80)]
    [InlineData(2, 4, 257)]
    public void QueryKeyScoresMatchDoubleLoops(int queries, int keys, int dim)
    {
        CheckScores<Vector256Kernels>(queries, keys, dim);
        CheckScores<Vector512Kernels>(queries, keys, dim);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 7, 13)]
    [InlineData(3, 9, 64)]
    [InlineData(5, 5, 72)]
    [InlineData(4, 3, 129)]
    public void AccumulateWeightedValuesMatchesDoubleLoops(int rows, int count, int dim)
    {
        CheckAccumulate<Vector256Kernels>(rows, count, dim);
        CheckAccumulate<Vector512Kernels>(rows, count, dim);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(77)]
    public void ExponentiateAndSumMatchesMathExpAndMapsNegativeInfinityToZero(int count)
    {
        CheckExponentiate<Vector256Kernels>(count);
        CheckExponentiate<Vector512Kernels>(count);
    }

    private static void CheckExponentiate<TSimd>(int count)
        where TSimd : ISimdKernels
    {
        var random = new Random(count);
        float[] values = RandomArray(random, count);
        for (int i = 0; i < count; i += 3)
        {
            values[i] = float.NegativeInfinity;
        }

        float[] original = (float[])values.Clone();
        float sum;
        fixed (float* vp = values)
        {
            sum = TSimd.ExponentiateAndSum(vp, count, 0.75f);
        }

        double expectedSum = 0;
        for (int i = 0; i < count; i++)
        {
            double expected = Math.Exp(original[i] - 0.75);
            expectedSum += expected;
            Assert.True(Math.Abs(values[i] - expected) <= 1e-6 * expected, $"{typeof(TSimd).Name} [{i}]: exp({original[i]} - 0.75) = {expected}, got {values[i]}");
        }

        Assert.True(Math.Abs(sum - expectedSum) <= 1e-6 * expectedSum, $"{typeof(TSimd).Name}: sum {expectedSum}, got {sum}");
    }

    private static void CheckScores<TSimd>(int queries, int keys, int dim)
        where TSimd : ISimdKernels
    {
        var random = new Random(queries * 1000 + keys * 10 + dim);
        int queryStride = dim + 3;
        int keyStride = dim + 1;
        int scoreStride = keys + 2;
        float[] q = RandomArray(random, queries * queryStride);
        float[] k = RandomArray(random, keys * keyStride);
        var scores = new float[queries * scoreStride];
        Array.Fill(scores, float.NaN);

        fixed (float* qp = q)
        fixed (float* kp = k)
        fixed (float* sp = scores)
        {
            TSimd.QueryKeyScores(qp, queryStride, queries, kp, keyStride, keys, dim, sp, scoreStride);
        }

        for (int i = 0; i < queries; i++)
        {
            for (int j = 0; j < keys; j++)
            {
                double expected = 0;
                for (int d = 0; d < dim; d++)
                {
                    expected += (double)q[(i * queryStride) + d] * k[(j * keyStride) + d];
                }

                Assert.True(Math.Abs(scores[(i * scoreStride) + j] - expected) <= 1e-5 * (1 + dim), $"{typeof(TSimd).Name} [{i}, {j}]");
            }

            for (int j = keys; j < scoreStride; j++)
            {
                Assert.True(float.IsNaN(scores[(i * scoreStride) + j]), $"{typeof(TSimd).Name} wrote past row {i}");
            }
        }
    }

    private static void CheckAccumulate<TSimd>(int rows, int count, int dim)
        where TSimd : ISimdKernels
    {
        var random = new Random((rows * 100000) + (count * 1000) + dim);
        int weightStride = count + 2;
        int valueStride = dim + 5;
        int accumulatorStride = dim + 1;
        float[] weights = RandomArray(random, rows * weightStride);
        float[] values = RandomArray(random, count * valueStride);
        float[] accumulators = RandomArray(random, rows * accumulatorStride);
        var expected = new double[rows, dim];
        for (int r = 0; r < rows; r++)
        {
            accumulators[(r * accumulatorStride) + dim] = float.NaN;
            for (int d = 0; d < dim; d++)
            {
                expected[r, d] = accumulators[(r * accumulatorStride) + d];
                for (int j = 0; j < count; j++)
                {
                    expected[r, d] += (double)weights[(r * weightStride) + j] * values[(j * valueStride) + d];
                }
            }
        }

        fixed (float* wp = weights)
        fixed (float* vp = values)
        fixed (float* ap = accumulators)
        {
            TSimd.AccumulateWeightedValues(wp, weightStride, rows, count, vp, valueStride, dim, ap, accumulatorStride);
        }

        for (int r = 0; r < rows; r++)
        {
            for (int d = 0; d < dim; d++)
            {
                Assert.True(Math.Abs(accumulators[(r * accumulatorStride) + d] - expected[r, d]) <= 1e-5 * (1 + count), $"{typeof(TSimd).Name} [{r}, {d}]");
            }

            Assert.True(float.IsNaN(accumulators[(r * accumulatorStride) + dim]), $"{typeof(TSimd).Name} wrote past row {r}");
        }
    }

    private static float[] RandomArray(Random random, int length)
    {
        var array = new float[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return array;
    }
}
