using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>The micro-kernels of both widths against plain double loops, on sizes that exercise every tail.</summary>
public sealed unsafe class SimdKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(3, 7, 13, false)]
    [InlineData(6, 64, 32, false)]
    [InlineData(13, 80, 64, false)]
    [InlineData(7, 65, 17, false)]
    [InlineData(1, 1, 1, true)]
    [InlineData(5, 9, 80, true)]
    [InlineData(6, 64, 64, true)]
    [InlineData(12, 33, 72, true)]
    [InlineData(17, 3, 129, true)]
    [InlineData(4, 64, 64, false)]
    [InlineData(8, 64, 64, false)]
    [InlineData(8, 128, 128, true)]
    [InlineData(10, 33, 64, false)]
    [InlineData(14, 17, 48, true)]
    [InlineData(15, 5, 33, false)]
    [InlineData(20, 17, 80, false)]
    [InlineData(27, 5, 33, true)]
    [InlineData(96, 64, 64, true)]
    public void MultiplyAddMatchesDoubleLoops(int rows, int depth, int columns, bool accumulate)
    {
        CheckMultiplyAddOfEveryBlock(rows, depth, columns, accumulate);
    }

    /// <summary>
    /// Every row count up to two 6-row blocks and a remainder of 1 (each leftover 4-, 2- and 1-row block alone and
    /// combined), and a whole 96-row query tile, on 32 columns (two-vector blocks alone), and on one and two 64-column
    /// strips with and without a 16- or 32-column tail.
    /// </summary>
    public static TheoryData<int, int, int, bool> FourVectorStripCases()
    {
        var cases = new TheoryData<int, int, int, bool>();
        int[] rowCounts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 96];
        foreach (int rows in rowCounts)
        {
            foreach (int columns in (int[])[32, 64, 80, 96, 128, 144])
            {
                foreach (int depth in (int[])[1, 7, 64, 128])
                {
                    cases.Add(rows, depth, columns, false);
                    cases.Add(rows, depth, columns, true);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(FourVectorStripCases))]
    public void MultiplyAddOnFourVectorStripsMatchesDoubleLoops(int rows, int depth, int columns, bool accumulate)
    {
        CheckMultiplyAddOfEveryBlock(rows, depth, columns, accumulate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(77)]
    public void RowMaxFindsTheLargestValueAtEveryPosition(int count)
    {
        var random = new Random(count);
        float[] values = RandomArray(random, count);
        for (int i = 0; i < count; i += 5)
        {
            values[i] = float.NegativeInfinity;
        }

        for (int position = 0; position < count; position++)
        {
            float[] trial = (float[])values.Clone();
            trial[position] = 7.5f;
            fixed (float* tp = trial)
            {
                Assert.Equal(7.5f, Vector256Kernels.RowMax(tp, count));
                Assert.Equal(7.5f, Vector512Kernels.RowMax(tp, count));
            }
        }

        float[] masked = new float[count];
        Array.Fill(masked, float.NegativeInfinity);
        fixed (float* mp = masked)
        {
            Assert.Equal(float.NegativeInfinity, Vector256Kernels.RowMax(mp, count));
            Assert.Equal(float.NegativeInfinity, Vector512Kernels.RowMax(mp, count));
        }
    }

    [Fact]
    public void PowerOfTwoIsWithinTwoUlpAndZeroBelowItsRange()
    {
        // Up to 2^8.5: the softmax by columns lets scores exceed their running max by up to 8.
        for (int i = 0; i <= 297000; i++)
        {
            float x = -140f + (i * 0.0005f);
            CheckExp2(x);
        }

        CheckExp2(0f);
        CheckExp2(-0f);
        CheckExp2(float.NegativeInfinity);
        CheckExp2(-float.Epsilon);
        CheckExp2(-0.5f);
        CheckExp2(MathF.BitDecrement(-0.5f));
        CheckExp2(FastExp.MinExponent);
        CheckExp2(MathF.BitDecrement(FastExp.MinExponent));
    }

    [Fact]
    public void PowerOfTwoOfNegativeInfinityLessNegativeInfinityIsZero()
    {
        // A query whose every key so far is masked has a running max of −∞; its −∞ scores must weigh 0, not NaN.
        Assert.Equal(0f, Vector512Kernels.Exp2Shifted(Vector512.Create(float.NegativeInfinity), Vector512.Create(float.NegativeInfinity)).GetElement(5));
        Assert.Equal(0f, Vector256Kernels.Exp2Shifted(Vector256.Create(float.NegativeInfinity), Vector256.Create(float.NegativeInfinity)).GetElement(2));
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(7, 48)]
    [InlineData(64, 192)]
    [InlineData(65, 80)]
    public void ColumnMaxFindsEachColumnsLargestValue(int rows, int columns)
    {
        CheckColumnMax<Vector256Kernels>(rows, columns);
        CheckColumnMax<Vector512Kernels>(rows, columns);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(9, 48)]
    [InlineData(64, 192)]
    public void ColumnPowersOfTwoMatchDoublesAndAddToTheSums(int rows, int columns)
    {
        CheckExponentiateColumns<Vector256Kernels>(rows, columns);
        CheckExponentiateColumns<Vector512Kernels>(rows, columns);
    }

    private static void CheckColumnMax<TSimd>(int rows, int columns)
        where TSimd : ISimdKernels
    {
        var random = new Random((rows * 1000) + columns);
        int stride = columns + 16;
        float[] values = RandomArray(random, rows * stride);
        for (int n = 0; n < columns; n++)
        {
            // The largest value sits on a different row in every column; column 3 is masked throughout.
            values[((n * 7 % rows) * stride) + n] = 2f + n;
            if (n == 3)
            {
                for (int r = 0; r < rows; r++)
                {
                    values[(r * stride) + n] = float.NegativeInfinity;
                }
            }
        }

        var max = new float[columns + 1];
        max[columns] = float.NaN;
        fixed (float* vp = values)
        fixed (float* mp = max)
        {
            TSimd.ColumnMax(vp, stride, rows, columns, mp);
        }

        for (int n = 0; n < columns; n++)
        {
            Assert.Equal(n == 3 ? float.NegativeInfinity : 2f + n, max[n]);
        }

        Assert.True(float.IsNaN(max[columns]), $"{typeof(TSimd).Name} wrote past the last column");
    }

    private static void CheckExponentiateColumns<TSimd>(int rows, int columns)
        where TSimd : ISimdKernels
    {
        var random = new Random((rows * 1000) + columns);
        int stride = columns + 16;
        float[] values = RandomArray(random, rows * stride);
        var offsets = new float[columns];
        var sums = new float[columns];
        for (int n = 0; n < columns; n++)
        {
            // Offsets from 8 below the values (the largest lag allowed) to far above them; column 5 is masked throughout.
            offsets[n] = -8f + (n * 0.75f);
            sums[n] = n;
            for (int r = 0; r < rows; r++)
            {
                if (n == 5 || (r + n) % 4 == 0)
                {
                    values[(r * stride) + n] = float.NegativeInfinity;
                }
            }
        }

        offsets[5] = float.NegativeInfinity;
        float[] original = (float[])values.Clone();
        fixed (float* vp = values)
        fixed (float* op = offsets)
        fixed (float* sp = sums)
        {
            TSimd.Exponentiate2ColumnsAndSum(vp, stride, rows, columns, op, sp);
        }

        for (int n = 0; n < columns; n++)
        {
            double expectedSum = n;
            for (int r = 0; r < rows; r++)
            {
                float value = original[(r * stride) + n];
                float shifted = value - offsets[n];
                double expected = shifted >= FastExp.MinExponent ? Math.Pow(2, shifted) : 0;
                expectedSum += expected;
                float actual = values[(r * stride) + n];
                Assert.True(Math.Abs(actual - expected) <= 2.4e-7 * expected, $"{typeof(TSimd).Name} [{r}, {n}]: {expected}, got {actual}");
            }

            Assert.True(Math.Abs(sums[n] - expectedSum) <= 1e-6 * Math.Max(1, expectedSum), $"{typeof(TSimd).Name} column {n}: sum {expectedSum}, got {sums[n]}");
        }

        for (int r = 0; r < rows; r++)
        {
            for (int n = columns; n < stride; n++)
            {
                Assert.Equal(original[(r * stride) + n], values[(r * stride) + n]);
            }
        }
    }

    private static void CheckExp2(float x)
    {
        float offset = 2.25f;
        float wide = Vector512Kernels.Exp2Shifted(Vector512.Create(x + offset), Vector512.Create(offset)).GetElement(7);
        float narrow = Vector256Kernels.Exp2Shifted(Vector256.Create(x + offset), Vector256.Create(offset)).GetElement(3);
        float shifted = (x + offset) - offset;
        double expected = shifted >= FastExp.MinExponent ? Math.Pow(2, shifted) : 0;
        // 2^-22: the polynomial's 7.5e-8 plus its float coefficients and Horner steps reach 2.1e-7, under 2 ulp.
        double tolerance = 2.39e-7 * expected;
        Assert.True(Math.Abs(wide - expected) <= tolerance, $"Vector512 2^{shifted} = {expected}, got {wide}");
        Assert.True(Math.Abs(narrow - expected) <= tolerance, $"Vector256 2^{shifted} = {expected}, got {narrow}");
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 7, 13)]
    [InlineData(3, 9, 80)]
    [InlineData(2, 64, 128)]
    [InlineData(5, 5, 257)]
    [InlineData(4, 64, 128)]
    [InlineData(8, 64, 128)]
    [InlineData(9, 33, 64)]
    [InlineData(8, 7, 19)]
    [InlineData(13, 65, 72)]
    [InlineData(1, 64, 128)]
    [InlineData(7, 24, 40)]
    [InlineData(2, 16, 16)]
    public void RowDotProductsMatchDoubleLoops(int rows, int count, int depth)
    {
        foreach (bool bfloat16B in new[] { false, true })
        {
            CheckRowDotProducts<Vector256Kernels>(rows, count, depth, bfloat16B);
            CheckRowDotProducts<Vector512Kernels>(rows, count, depth, bfloat16B);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(5, 7)]
    [InlineData(8, 13)]
    [InlineData(9, 64)]
    [InlineData(64, 128)]
    [InlineData(63, 130)]
    public void KeyPairScoresMatchDoubleLoops(int count, int depth)
    {
        foreach (int vectors in new[] { 1, 2 })
        {
            CheckKeyPairScores<Vector256Kernels>(count, depth, vectors);
            CheckKeyPairScores<Vector512Kernels>(count, depth, vectors);
        }
    }

    [Theory]
    [InlineData(8, 64, 128)]
    [InlineData(4, 7, 16)]
    [InlineData(8, 1, 13)]
    [InlineData(3, 9, 40)]
    [InlineData(16, 33, 130)]
    [InlineData(6, 64, 1)]
    [InlineData(1, 64, 128)]
    [InlineData(2, 5, 64)]
    [InlineData(7, 63, 96)]
    public void AccumulateValuesMatchDoubleLoops(int rows, int keys, int valueDim)
    {
        foreach (bool transposed in new[] { false, true })
        {
            CheckAccumulateValues<Vector256Kernels>(rows, keys, valueDim, transposed);
            CheckAccumulateValues<Vector512Kernels>(rows, keys, valueDim, transposed);
        }
    }

    [Theory]
    [InlineData(0, 3, 256, 256, 4)]
    [InlineData(1, 2, 512, 512, 8)]
    [InlineData(2, 3, 200, 320, 6)]
    [InlineData(3, 4, 64, 96, 5)]
    [InlineData(0, 1, 40, 40, 2)]
    public void NextTileLinesTakeEachExistingRowsLinesInOrder(int first, int count, int rowBytes, int stride, int rows)
    {
        var keys = new byte[(rows * stride) + 64];
        var values = new byte[(rows * stride) + 64];
        fixed (byte* kp = keys)
        fixed (byte* vp = values)
        {
            var next = new NextKeyTile(kp, stride, rowBytes, vp, stride, rowBytes, rows);
            foreach ((NextTileLines lines, nint origin) in new[] { (next.KeyLines(first, count), (nint)kp), (next.ValueLines(first, count), (nint)vp) })
            {
                // Without prefetch instructions a next tile offers no rows to ask for.
                NextTileLines cursor = lines;
                int end = Sse.IsSupported ? Math.Min(first + count, rows) : first;
                int linesPerRow = (rowBytes + 63) / 64;
                for (int row = first; row < end; row++)
                {
                    for (int offset = 0; offset < rowBytes; offset += 64)
                    {
                        Assert.Equal(((end - row) * linesPerRow) - (offset / 64), cursor.Remaining);
                        Assert.True(cursor.TryTake(out byte* line), $"row {row}, offset {offset}: no line taken");
                        Assert.Equal(origin + (row * stride) + offset, (nint)line);
                    }
                }

                Assert.Equal(0, cursor.Remaining);
                Assert.False(cursor.TryTake(out _), "a line past the last existing row was taken");
            }

            Assert.False(NextKeyTile.None.KeyLines(0, 4).TryTake(out _), "no next tile, yet a line was taken");
        }
    }

    [Fact]
    public void KernelsRefuseAnElementTypeTheyCannotWiden()
    {
        var a = new float[4];
        var b = new Half[4];
        var c = new float[4];
        fixed (float* ap = a)
        fixed (Half* bp = b)
        fixed (float* cp = c)
        {
            float* aAt = ap, cAt = cp;
            Half* bAt = bp;
            Assert.Throws<NotSupportedException>(() => Vector256Kernels.MultiplyAdd(aAt, 1, 1, 1, 1, bAt, 1, 1, cAt, 1, accumulate: false));
            Assert.Throws<NotSupportedException>(() => Vector512Kernels.RowDotProducts(aAt, 1, 1, bAt, 1, 1, 1, cAt, 1, NextKeyTile.None));
        }
    }

    [Fact]
    public void SumEachPutsEachVectorsSumInItsOwnLane()
    {
        // Integer lanes keep every order of addition exact, so any lane that takes another vector's lanes shows.
        Vector256<float> narrow = Vector256Kernels.SumEach(Lanes256(0), Lanes256(1), Lanes256(2), Lanes256(3), Lanes256(4), Lanes256(5), Lanes256(6), Lanes256(7));
        Vector256<float> wide = Vector512Kernels.SumEach(Lanes512(0), Lanes512(1), Lanes512(2), Lanes512(3), Lanes512(4), Lanes512(5), Lanes512(6), Lanes512(7));
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(ExpectedLaneSum(i, 8), narrow[i]);
            Assert.Equal(ExpectedLaneSum(i, 16), wide[i]);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 13)]
    [InlineData(16, 64)]
    [InlineData(37, 80)]
    public void TransposedKeyTilePacksColumnsAndZeroesThePadding(int keys, int dim)
    {
        var random = new Random((keys * 1000) + dim);
        int rowStride = dim + 3;
        int packedStride = TransposedKeyTile.PaddedColumns(keys) + 5;
        float[] rows = RandomArray(random, keys * rowStride);
        float[] packed = new float[dim * packedStride];
        Array.Fill(packed, float.NaN);
        fixed (float* rp = rows)
        fixed (float* pp = packed)
        {
            TransposedKeyTile.Pack(rp, rowStride, keys, dim, pp, packedStride);
        }

        Assert.Equal(0, TransposedKeyTile.PaddedColumns(keys) % TransposedKeyTile.ColumnMultiple);
        for (int d = 0; d < dim; d++)
        {
            for (int j = 0; j < keys; j++)
            {
                Assert.Equal(rows[(j * rowStride) + d], packed[(d * packedStride) + j]);
            }

            for (int j = keys; j < TransposedKeyTile.PaddedColumns(keys); j++)
            {
                Assert.Equal(0f, packed[(d * packedStride) + j]);
            }

            for (int j = TransposedKeyTile.PaddedColumns(keys); j < packedStride; j++)
            {
                Assert.True(float.IsNaN(packed[(d * packedStride) + j]), $"wrote past packed row {d}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(77)]
    public void Exponentiate2AndSumMatchesMathPowAndMapsNegativeInfinityToZero(int count)
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
            sum = TSimd.Exponentiate2AndSum(vp, count, 0.75f);
        }

        double expectedSum = 0;
        for (int i = 0; i < count; i++)
        {
            double expected = Math.Pow(2, original[i] - 0.75);
            expectedSum += expected;
            Assert.True(Math.Abs(values[i] - expected) <= 1e-6 * expected, $"{typeof(TSimd).Name} [{i}]: 2^({original[i]} - 0.75) = {expected}, got {values[i]}");
        }

        Assert.True(Math.Abs(sum - expectedSum) <= 1e-6 * expectedSum, $"{typeof(TSimd).Name}: sum {expectedSum}, got {sum}");
    }

    private static void CheckMultiplyAddOfEveryBlock(int rows, int depth, int columns, bool accumulate)
    {
        foreach (bool columnMajorA in new[] { false, true })
        {
            foreach (bool bfloat16B in new[] { false, true })
            {
                CheckMultiplyAdd<Vector256Kernels>(rows, depth, columns, accumulate, columnMajorA, bfloat16B);
                CheckMultiplyAdd<Vector512Kernels>(rows, depth, columns, accumulate, columnMajorA, bfloat16B);
            }
        }
    }

    private static void CheckMultiplyAdd<TSimd>(int rows, int depth, int columns, bool accumulate, bool columnMajorA, bool bfloat16B)
        where TSimd : ISimdKernels
    {
        var random = new Random((rows * 100000) + (depth * 1000) + columns);
        int aStride = columnMajorA ? 1 : depth + 2;
        int aDepthStride = columnMajorA ? rows + 3 : 1;
        string kernel = typeof(TSimd).Name + (columnMajorA ? " (column-major a)" : string.Empty) + (bfloat16B ? " (bf16 b)" : string.Empty);
        int bStride = columns + 5;
        int cStride = columns + 1;
        float[] a = RandomArray(random, columnMajorA ? depth * aDepthStride : rows * aStride);
        float[] b = RandomArray(random, depth * bStride);
        BFloat16[] bHalves = bfloat16B ? RoundToBFloat16(b) : [];
        float[] c = RandomArray(random, rows * cStride);
        var expected = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            c[(r * cStride) + columns] = float.NaN;
            for (int n = 0; n < columns; n++)
            {
                expected[r, n] = accumulate ? c[(r * cStride) + n] : 0;
                for (int k = 0; k < depth; k++)
                {
                    expected[r, n] += (double)a[(r * aStride) + (k * aDepthStride)] * b[(k * bStride) + n];
                }
            }
        }

        fixed (float* ap = a)
        fixed (float* bp = b)
        fixed (BFloat16* bh = bHalves)
        fixed (float* cp = c)
        {
            if (bfloat16B)
            {
                TSimd.PairBFloat16Features(cp, cStride, rows, columns);
                TSimd.MultiplyAdd(ap, aStride, aDepthStride, rows, depth, bh, bStride, columns, cp, cStride, accumulate);
                TSimd.UnpairBFloat16Features(cp, cStride, rows, columns);
            }
            else
            {
                TSimd.MultiplyAdd(ap, aStride, aDepthStride, rows, depth, bp, bStride, columns, cp, cStride, accumulate);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            for (int n = 0; n < columns; n++)
            {
                Assert.True(Math.Abs(c[(r * cStride) + n] - expected[r, n]) <= 1e-5 * (1 + depth), $"{kernel} [{r}, {n}]: {expected[r, n]}, got {c[(r * cStride) + n]}");
            }

            Assert.True(float.IsNaN(c[(r * cStride) + columns]), $"{kernel} wrote past row {r}");
        }
    }

    /// <summary>Rounds <paramref name="values"/> to bfloat16 in place, so that they are the exact values the returned copy holds.</summary>
    private static BFloat16[] RoundToBFloat16(float[] values)
    {
        var rounded = new BFloat16[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            rounded[i] = (BFloat16)values[i];
            values[i] = (float)rounded[i];
        }

        return rounded;
    }

    // Lane l of vector i holds (i + 1) * 2^(l + 2) + l: every lane of every vector is a different integer.
    private static float Lane(int vector, int lane) => ((vector + 1) * (1 << (lane + 2))) + lane;

    private static float ExpectedLaneSum(int vector, int lanes)
    {
        float sum = 0f;
        for (int l = 0; l < lanes; l++)
        {
            sum += Lane(vector, l);
        }

        return sum;
    }

    private static Vector256<float> Lanes256(int vector) => Vector256.Create(Lane(vector, 0), Lane(vector, 1), Lane(vector, 2), Lane(vector, 3), Lane(vector, 4), Lane(vector, 5), Lane(vector, 6), Lane(vector, 7));

    private static Vector512<float> Lanes512(int vector) => Vector512.Create(Lanes256(vector), Vector256.Create(Lane(vector, 8), Lane(vector, 9), Lane(vector, 10), Lane(vector, 11), Lane(vector, 12), Lane(vector, 13), Lane(vector, 14), Lane(vector, 15)));

    private static void CheckRowDotProducts<TSimd>(int rows, int count, int depth, bool bfloat16B)
        where TSimd : ISimdKernels
    {
        var random = new Random((rows * 100000) + (count * 1000) + depth);
        int aStride = depth + 3;
        int bStride = depth + 1;
        int cStride = count + 2;
        string kernel = typeof(TSimd).Name + (bfloat16B ? " (bf16 b)" : string.Empty);
        float[] a = RandomArray(random, rows * aStride);
        float[] b = RandomArray(random, count * bStride);
        BFloat16[] bHalves = bfloat16B ? RoundToBFloat16(b) : [];
        float[] aRead = (float[])a.Clone();
        var c = new float[rows * cStride];
        Array.Fill(c, float.NaN);
        fixed (float* ap = aRead)
        fixed (float* bp = b)
        fixed (BFloat16* bh = bHalves)
        fixed (float* cp = c)
        {
            // The prefetched "next tile" is b itself: valid memory, and the products must not change.
            var next = new NextKeyTile((byte*)bp, bStride * sizeof(float), depth * sizeof(float), (byte*)bp, bStride * sizeof(float), depth * sizeof(float), count);
            if (bfloat16B)
            {
                TSimd.PairBFloat16Features(ap, aStride, rows, depth);
                TSimd.RowDotProducts(ap, aStride, rows, bh, bStride, count, depth, cp, cStride, next);
            }
            else
            {
                TSimd.RowDotProducts(ap, aStride, rows, bp, bStride, count, depth, cp, cStride, next);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < count; j++)
            {
                double expected = 0;
                for (int d = 0; d < depth; d++)
                {
                    expected += (double)a[(r * aStride) + d] * b[(j * bStride) + d];
                }

                Assert.True(Math.Abs(c[(r * cStride) + j] - expected) <= 1e-5 * (1 + depth), $"{kernel} [{r}, {j}]");
            }

            for (int j = count; j < cStride; j++)
            {
                Assert.True(float.IsNaN(c[(r * cStride) + j]), $"{kernel} wrote past row {r}");
            }
        }
    }

    private static void CheckKeyPairScores<TSimd>(int count, int depth, int vectors)
        where TSimd : ISimdKernels
    {
        var random = new Random((count * 1000) + depth);
        int width = vectors * TSimd.Count;
        int keyStride = depth + 3;
        float[] keys = RandomArray(random, count * keyStride);
        float[] queries = RandomArray(random, depth * width);
        var scores = new float[(count + 1) * width];
        Array.Fill(scores, float.NaN);
        fixed (float* kp = keys)
        fixed (float* qp = queries)
        fixed (float* sp = scores)
        {
            // The prefetched "next tile" is the keys themselves: valid memory, and the scores must not change.
            var next = new NextKeyTile((byte*)kp, keyStride * sizeof(float), depth * sizeof(float), (byte*)kp, keyStride * sizeof(float), depth * sizeof(float), count);
            TSimd.KeyPairScores(kp, keyStride, count, depth, qp, width, sp, next);
        }

        for (int j = 0; j < count; j++)
        {
            for (int lane = 0; lane < width; lane++)
            {
                double expected = 0;
                for (int d = 0; d < depth; d++)
                {
                    expected += (double)keys[(j * keyStride) + d] * queries[(d * width) + lane];
                }

                Assert.True(Math.Abs(scores[(j * width) + lane] - expected) <= 1e-5 * (1 + depth), $"{typeof(TSimd).Name} x{vectors} key {j}, lane {lane}: {expected}, got {scores[(j * width) + lane]}");
            }
        }

        for (int i = count * width; i < scores.Length; i++)
        {
            Assert.True(float.IsNaN(scores[i]), $"{typeof(TSimd).Name} wrote past key {count - 1}");
        }
    }

    private static void CheckAccumulateValues<TSimd>(int rows, int keys, int valueDim, bool transposed)
        where TSimd : ISimdKernels
    {
        var random = new Random((rows * 10000) + (keys * 100) + valueDim);

        // Transposed: the column path's layout, one key per row of lanes; otherwise the row path's, one query row per row.
        int lanes = TSimd.Count * ((rows + TSimd.Count - 1) / TSimd.Count);
        int scoreStride = keys + 3;
        nint rowStride = transposed ? 1 : scoreStride;
        nint keyStride = transposed ? lanes : 1;
        int valueStride = valueDim + 5;
        float[] probabilities = RandomArray(random, transposed ? keys * lanes : rows * scoreStride);
        float[] values = RandomArray(random, keys * valueStride);
        float[] output = RandomArray(random, (rows * valueDim) + 1);
        float[] before = (float[])output.Clone();
        output[^1] = float.NaN;
        fixed (float* pp = probabilities)
        fixed (float* vp = values)
        fixed (float* op = output)
        {
            // The prefetched "next tile" is the values themselves: valid memory, and the sums must not change.
            var next = new NextKeyTile((byte*)vp, valueStride * sizeof(float), valueDim * sizeof(float), (byte*)vp, valueStride * sizeof(float), valueDim * sizeof(float), keys);
            TSimd.AccumulateValues(pp, rowStride, keyStride, rows, keys, vp, valueStride, valueDim, op, next);
        }

        for (int r = 0; r < rows; r++)
        {
            for (int e = 0; e < valueDim; e++)
            {
                double expected = before[(r * valueDim) + e];
                for (int j = 0; j < keys; j++)
                {
                    expected += (double)probabilities[(r * rowStride) + (j * keyStride)] * values[(j * valueStride) + e];
                }

                float actual = output[(r * valueDim) + e];
                Assert.True(Math.Abs(actual - expected) <= 1e-5 * (1 + keys), $"{typeof(TSimd).Name} transposed={transposed} row {r}, feature {e}: {expected}, got {actual}");
            }
        }

        Assert.True(float.IsNaN(output[^1]), $"{typeof(TSimd).Name} wrote past the last row");
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
