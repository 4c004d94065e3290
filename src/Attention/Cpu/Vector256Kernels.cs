using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>The CPU micro-kernels on 256-bit vectors (AVX2 on x64, emulated on narrower hardware).</summary>
/// <remarks>
/// Kept line for line parallel to <see cref="Vector512Kernels"/>: .NET exposes no public interface over vector widths,
/// so the two widths are written out rather than shared through a generic.
/// </remarks>
internal readonly unsafe struct Vector256Kernels : ISimdKernels
{
    /// <inheritdoc />
    public static void QueryKeyScores(
        float* queries,
        nint queryStride,
        int queryCount,
        float* keys,
        nint keyStride,
        int keyCount,
        int dim,
        float* scores,
        nint scoreStride)
    {
        int i = 0;
        for (; i + 2 <= queryCount; i += 2)
        {
            float* query0 = queries + (i * queryStride);
            float* query1 = query0 + queryStride;
            float* scores0 = scores + (i * scoreStride);
            float* scores1 = scores0 + scoreStride;
            int j = 0;
            for (; j + 4 <= keyCount; j += 4)
            {
                TwoQueriesFourKeys(query0, query1, keys + (j * keyStride), keyStride, dim, scores0 + j, scores1 + j);
            }

            for (; j < keyCount; j++)
            {
                float* key = keys + (j * keyStride);
                scores0[j] = Dot(query0, key, dim);
                scores1[j] = Dot(query1, key, dim);
            }
        }

        if (i < queryCount)
        {
            float* query = queries + (i * queryStride);
            float* row = scores + (i * scoreStride);
            int j = 0;
            for (; j + 4 <= keyCount; j += 4)
            {
                OneQueryFourKeys(query, keys + (j * keyStride), keyStride, dim, row + j);
            }

            for (; j < keyCount; j++)
            {
                row[j] = Dot(query, keys + (j * keyStride), dim);
            }
        }
    }

    /// <inheritdoc />
    public static void AccumulateWeightedValues(
        float* weights,
        nint weightStride,
        int rows,
        int count,
        float* values,
        nint valueStride,
        int dim,
        float* accumulators,
        nint accumulatorStride)
    {
        int r = 0;
        for (; r + 2 <= rows; r += 2)
        {
            float* weights0 = weights + (r * weightStride);
            float* accumulator0 = accumulators + (r * accumulatorStride);
            TwoRows(weights0, weights0 + weightStride, count, values, valueStride, dim, accumulator0, accumulator0 + accumulatorStride);
        }

        if (r < rows)
        {
            OneRow(weights + (r * weightStride), count, values, valueStride, dim, accumulators + (r * accumulatorStride));
        }
    }

    private static void TwoRows(float* weights0, float* weights1, int count, float* values, nint valueStride, int dim, float* accumulator0, float* accumulator1)
    {
        int width = Vector256<float>.Count;
        int d = 0;
        for (; d + (4 * width) <= dim; d += 4 * width)
        {
            Vector256<float> sum00 = Vector256.Load(accumulator0 + d);
            Vector256<float> sum01 = Vector256.Load(accumulator0 + d + width);
            Vector256<float> sum02 = Vector256.Load(accumulator0 + d + (2 * width));
            Vector256<float> sum03 = Vector256.Load(accumulator0 + d + (3 * width));
            Vector256<float> sum10 = Vector256.Load(accumulator1 + d);
            Vector256<float> sum11 = Vector256.Load(accumulator1 + d + width);
            Vector256<float> sum12 = Vector256.Load(accumulator1 + d + (2 * width));
            Vector256<float> sum13 = Vector256.Load(accumulator1 + d + (3 * width));
            float* value = values + d;
            for (int j = 0; j < count; j++, value += valueStride)
            {
                Vector256<float> weight0 = Vector256.Create(weights0[j]);
                Vector256<float> weight1 = Vector256.Create(weights1[j]);
                Vector256<float> v = Vector256.Load(value);
                sum00 = Vector256.MultiplyAddEstimate(weight0, v, sum00);
                sum10 = Vector256.MultiplyAddEstimate(weight1, v, sum10);
                v = Vector256.Load(value + width);
                sum01 = Vector256.MultiplyAddEstimate(weight0, v, sum01);
                sum11 = Vector256.MultiplyAddEstimate(weight1, v, sum11);
                v = Vector256.Load(value + (2 * width));
                sum02 = Vector256.MultiplyAddEstimate(weight0, v, sum02);
                sum12 = Vector256.MultiplyAddEstimate(weight1, v, sum12);
                v = Vector256.Load(value + (3 * width));
                sum03 = Vector256.MultiplyAddEstimate(weight0, v, sum03);
                sum13 = Vector256.MultiplyAddEstimate(weight1, v, sum13);
            }

            sum00.Store(accumulator0 + d);
            sum01.Store(accumulator0 + d + width);
            sum02.Store(accumulator0 + d + (2 * width));
            sum03.Store(accumulator0 + d + (3 * width));
            sum10.Store(accumulator1 + d);
            sum11.Store(accumulator1 + d + width);
            sum12.Store(accumulator1 + d + (2 * width));
            sum13.Store(accumulator1 + d + (3 * width));
        }

        for (; d + width <= dim; d += width)
        {
            Vector256<float> sum0 = Vector256.Load(accumulator0 + d);
            Vector256<float> sum1 = Vector256.Load(accumulator1 + d);
            float* value = values + d;
            for (int j = 0; j < count; j++, value += valueStride)
            {
                Vector256<float> v = Vector256.Load(value);
                sum0 = Vector256.MultiplyAddEstimate(Vector256.Create(weights0[j]), v, sum0);
                sum1 = Vector256.MultiplyAddEstimate(Vector256.Create(weights1[j]), v, sum1);
            }

            sum0.Store(accumulator0 + d);
            sum1.Store(accumulator1 + d);
        }

        for (; d < dim; d++)
        {
            float sum0 = accumulator0[d];
            float sum1 = accumulator1[d];
            float* value = values + d;
            for (int j = 0; j < count; j++, value += valueStride)
            {
                sum0 += weights0[j] * *value;
                sum1 += weights1[j] * *value;
            }

            accumulator0[d] = sum0;
            accumulator1[d] = sum1;
        }
    }

    private static void OneRow(float* weights, int count, float* values, nint valueStride, int dim, float* accumulator)
    {
        int width = Vector256<float>.Count;
        int d = 0;
        for (; d + (4 * width) <= dim; d += 4 * width)
        {
            Vector256<float> sum0 = Vector256.Load(accumulator + d);
            Vector256<float> sum1 = Vector256.Load(accumulator + d + width);
            Vector256<float> sum2 = Vector256.Load(accumulator + d + (2 * width));
            Vector256<float> sum3 = Vector256.Load(accumulator + d + (3 * width));
            float* value = values + d;
            for (int j = 0; j < count; j++, value += valueStride)
            {
                Vector256<float> weight = Vector256.Create(weights[j]);
                sum0 = Vector256.MultiplyAddEstimate(weight, Vector256.Load(value), sum0);
                sum1 = Vector256.MultiplyAddEstimate(weight, Vector256.Load(value + width), sum1);
                sum2 = Vector256.MultiplyAddEstimate(weight, Vector256.Load(value + (2 * width)), sum2);
                sum3 = Vector256.MultiplyAddEstimate(weight, Vector256.Load(value + (3 * width)), sum3);
            }

            sum0.Store(accumulator + d);
            sum1.Store(accumulator + d + width);
            sum2.Store(accumulator + d + (2 * width));
            sum3.Store(accumulator + d + (3 * width));
        }

        for (; d + width <= dim; d += width)
        {
            Vector256<float> sum = Vector256.Load(accumulator + d);
            float* value = values + d;
            for (int j = 0; j < count; j++, value += valueStride)
            {
                sum = Vector256.MultiplyAddEstimate(Vector256.Create(weights[j]), Vector256.Load(value), sum);
            }

            sum.Store(accumulator + d);
        }

        for (; d < dim; d++)
        {
            float sum = accumulator[d];
            float* value = values + d;
            for (int j = 0; j < count; j++, value += valueStride)
            {
                sum += weights[j] * *value;
            }

            accumulator[d] = sum;
        }
    }

    /// <inheritdoc />
    public static float ExponentiateAndSum(float* values, int count, float offset)
    {
        Vector256<float> shift = Vector256.Create(offset);
        Vector256<float> total = Vector256<float>.Zero;
        int i = 0;
        for (; i + Vector256<float>.Count <= count; i += Vector256<float>.Count)
        {
            Vector256<float> exponential = Vector256.Exp(Vector256.Load(values + i) - shift);
            exponential.Store(values + i);
            total += exponential;
        }

        float sum = Vector256.Sum(total);
        for (; i < count; i++)
        {
            float exponential = MathF.Exp(values[i] - offset);
            values[i] = exponential;
            sum += exponential;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwoQueriesFourKeys(float* query0, float* query1, float* key0, nint keyStride, int dim, float* scores0, float* scores1)
    {
        float* key1 = key0 + keyStride;
        float* key2 = key1 + keyStride;
        float* key3 = key2 + keyStride;
        Vector256<float> sum00 = Vector256<float>.Zero, sum01 = Vector256<float>.Zero, sum02 = Vector256<float>.Zero, sum03 = Vector256<float>.Zero;
        Vector256<float> sum10 = Vector256<float>.Zero, sum11 = Vector256<float>.Zero, sum12 = Vector256<float>.Zero, sum13 = Vector256<float>.Zero;
        int d = 0;
        for (; d + Vector256<float>.Count <= dim; d += Vector256<float>.Count)
        {
            Vector256<float> q0 = Vector256.Load(query0 + d);
            Vector256<float> q1 = Vector256.Load(query1 + d);
            Vector256<float> k = Vector256.Load(key0 + d);
            sum00 = Vector256.MultiplyAddEstimate(q0, k, sum00);
            sum10 = Vector256.MultiplyAddEstimate(q1, k, sum10);
            k = Vector256.Load(key1 + d);
            sum01 = Vector256.MultiplyAddEstimate(q0, k, sum01);
            sum11 = Vector256.MultiplyAddEstimate(q1, k, sum11);
            k = Vector256.Load(key2 + d);
            sum02 = Vector256.MultiplyAddEstimate(q0, k, sum02);
            sum12 = Vector256.MultiplyAddEstimate(q1, k, sum12);
            k = Vector256.Load(key3 + d);
            sum03 = Vector256.MultiplyAddEstimate(q0, k, sum03);
            sum13 = Vector256.MultiplyAddEstimate(q1, k, sum13);
        }

        Vector128<float> scores0Sums = HorizontalSums.SumEach(sum00, sum01, sum02, sum03);
        Vector128<float> scores1Sums = HorizontalSums.SumEach(sum10, sum11, sum12, sum13);
        for (; d < dim; d++)
        {
            Vector128<float> keyColumn = Vector128.Create(key0[d], key1[d], key2[d], key3[d]);
            scores0Sums += keyColumn * query0[d];
            scores1Sums += keyColumn * query1[d];
        }

        scores0Sums.Store(scores0);
        scores1Sums.Store(scores1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneQueryFourKeys(float* query, float* key0, nint keyStride, int dim, float* scores)
    {
        float* key1 = key0 + keyStride;
        float* key2 = key1 + keyStride;
        float* key3 = key2 + keyStride;
        Vector256<float> sum0 = Vector256<float>.Zero, sum1 = Vector256<float>.Zero, sum2 = Vector256<float>.Zero, sum3 = Vector256<float>.Zero;
        int d = 0;
        for (; d + Vector256<float>.Count <= dim; d += Vector256<float>.Count)
        {
            Vector256<float> q = Vector256.Load(query + d);
            sum0 = Vector256.MultiplyAddEstimate(q, Vector256.Load(key0 + d), sum0);
            sum1 = Vector256.MultiplyAddEstimate(q, Vector256.Load(key1 + d), sum1);
            sum2 = Vector256.MultiplyAddEstimate(q, Vector256.Load(key2 + d), sum2);
            sum3 = Vector256.MultiplyAddEstimate(q, Vector256.Load(key3 + d), sum3);
        }

        Vector128<float> sums = HorizontalSums.SumEach(sum0, sum1, sum2, sum3);
        for (; d < dim; d++)
        {
            sums += Vector128.Create(key0[d], key1[d], key2[d], key3[d]) * query[d];
        }

        sums.Store(scores);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* left, float* right, int dim)
    {
        int width = Vector256<float>.Count;
        Vector256<float> sum0 = Vector256<float>.Zero;
        Vector256<float> sum1 = Vector256<float>.Zero;
        int d = 0;
        for (; d + (2 * width) <= dim; d += 2 * width)
        {
            sum0 = Vector256.MultiplyAddEstimate(Vector256.Load(left + d), Vector256.Load(right + d), sum0);
            sum1 = Vector256.MultiplyAddEstimate(Vector256.Load(left + d + width), Vector256.Load(right + d + width), sum1);
        }

        for (; d + width <= dim; d += width)
        {
            sum0 = Vector256.MultiplyAddEstimate(Vector256.Load(left + d), Vector256.Load(right + d), sum0);
        }

        float sum = Vector256.Sum(sum0 + sum1);
        for (; d < dim; d++)
        {
            sum += left[d] * right[d];
        }

        return sum;
    }
}
