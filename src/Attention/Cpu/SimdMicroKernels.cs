using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>
/// The micro-kernels, written once over <see cref="IVectorLanes{TVector}"/>. The matrix product is register blocked
/// GEMM-style: a block of rows of c by a few vectors of columns stays in registers across the whole depth loop, each
/// step loading the block's vectors of b and broadcasting one element of a per row, so no step needs a cross-lane
/// reduction. Only a's elements are broadcast, so a may be read with any depth stride: the column path reads its key and
/// value tiles in place, the value tile column-major. b may be bf16, widened in registers as it loads, so that decoding
/// reads bf16 key and value rows in place. Six rows by two vectors (twelve accumulators) fit the 16 registers of AVX2. The 32 of AVX-512 take six
/// rows by four vectors (24 accumulators, 4 b vectors and a broadcast) on 64-column strips: 10 loads per 24 FMA where
/// eight rows by two vectors needed 10 per 16, and tiles of 96 or 192 rows split into whole blocks; narrower strips keep the
/// eight-row block, which covers the value product of grouped decoding's 8-row tiles in one block. Rows left over run in
/// blocks of 4 (and 2 on four-vector strips) before single rows, whose few FMA chains leave the FMA ports idle for most of their
/// latency.
/// </summary>
/// <typeparam name="TLanes">The vector operations.</typeparam>
/// <typeparam name="TVector">The vector type.</typeparam>
internal static unsafe class SimdMicroKernels<TLanes, TVector>
    where TLanes : IVectorLanes<TVector>
    where TVector : struct
{
    private const int BlockRows = 6;

    /// <summary>See <see cref="ISimdKernels.MultiplyAdd"/>.</summary>
    /// <param name="a">The first row of a.</param>
    /// <param name="aStride">The distance in floats between rows of a.</param>
    /// <param name="aDepthStride">The distance in floats between columns of a.</param>
    /// <param name="rows">The number of rows of a and c.</param>
    /// <param name="depth">The number of columns of a and rows of b.</param>
    /// <param name="b">The first row of b.</param>
    /// <param name="bStride">The distance in elements between rows of b.</param>
    /// <param name="columns">The number of columns of b and c.</param>
    /// <param name="c">The first row of c.</param>
    /// <param name="cStride">The distance in floats between rows of c.</param>
    /// <param name="accumulate">Whether to add to c rather than overwrite it.</param>
    /// <typeparam name="TB">The elements of b: <see cref="float"/> or <see cref="BFloat16"/>.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd<TB>(float* a, nint aStride, nint aDepthStride, int rows, int depth, TB* b, nint bStride, int columns, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        RequireSupportedB<TB>();
        int width = TLanes.Count;
        int n = 0;
        if (TLanes.Count == 16)
        {
            for (; n + (4 * width) <= columns; n += 4 * width)
            {
                FourVectorStrip(a, aStride, aDepthStride, rows, depth, b + n, bStride, c + n, cStride, accumulate);
            }
        }

        for (; n + (2 * width) <= columns; n += 2 * width)
        {
            int r = 0;
            if (TLanes.Count == 16)
            {
                for (; r + 8 <= rows; r += 8)
                {
                    EightRowsTwoVectors(a + (r * aStride), aStride, aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, cStride, accumulate);
                }
            }

            // A remainder of 2 after the 6-row blocks (8 rows on 256-bit vectors: the value product of grouped decoding at
            // 8:1) runs as two blocks of 4 instead of 6 + 1 + 1.
            int sixRowEnd = r + ((rows - r) / BlockRows * BlockRows);
            if (sixRowEnd > r && rows - sixRowEnd == 2)
            {
                sixRowEnd -= BlockRows;
            }

            for (; r < sixRowEnd; r += BlockRows)
            {
                SixRowsTwoVectors(a + (r * aStride), aStride, aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, cStride, accumulate);
            }

            for (; r + 4 <= rows; r += 4)
            {
                FourRowsTwoVectors(a + (r * aStride), aStride, aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, cStride, accumulate);
            }

            for (; r < rows; r++)
            {
                OneRowTwoVectors(a + (r * aStride), aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, accumulate);
            }
        }

        for (; n + width <= columns; n += width)
        {
            // Eight rows first: the score product of a few-row column tile (eight keys against one vector of queries)
            // runs here, and eight independent sums keep both FMA pipes busy through the FMA latency where six do not.
            int r = 0;
            for (; r + 8 <= rows; r += 8)
            {
                EightRowsOneVector(a + (r * aStride), aStride, aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, cStride, accumulate);
            }

            for (; r + BlockRows <= rows; r += BlockRows)
            {
                SixRowsOneVector(a + (r * aStride), aStride, aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, cStride, accumulate);
            }

            for (; r < rows; r++)
            {
                OneRowOneVector(a + (r * aStride), aDepthStride, depth, b + n, bStride, c + (r * cStride) + n, accumulate);
            }
        }

        for (; n < columns; n++)
        {
            for (int r = 0; r < rows; r++)
            {
                float* aRow = a + (r * aStride);
                float sum = accumulate ? c[(r * cStride) + n] : 0f;
                for (int k = 0; k < depth; k++)
                {
                    sum += aRow[k * aDepthStride] * ElementB(b + (k * bStride) + n);
                }

                c[(r * cStride) + n] = sum;
            }
        }
    }

    /// <summary>See <see cref="ISimdKernels.RowDotProducts"/>.</summary>
    /// <param name="a">The first row of a.</param>
    /// <param name="aStride">The distance in floats between rows of a.</param>
    /// <param name="rows">The number of rows of a.</param>
    /// <param name="b">The first row of b.</param>
    /// <param name="bStride">The distance in elements between rows of b.</param>
    /// <param name="count">The number of rows of b.</param>
    /// <param name="depth">The features per row.</param>
    /// <param name="c">The first row of c.</param>
    /// <param name="cStride">The distance in floats between rows of c.</param>
    /// <param name="next">The next key tile, whose rows are prefetched a few per call.</param>
    /// <typeparam name="TB">The elements of b: <see cref="float"/> or <see cref="BFloat16"/>.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowDotProducts<TB>(float* a, nint aStride, int rows, TB* b, nint bStride, int count, int depth, float* c, nint cStride, in NextKeyTile next)
        where TB : unmanaged
    {
        RequireSupportedB<TB>();

        // Keys outermost: each group of eight rows of b comes from memory once and serves every row of a from L1. The next
        // tile's rows of the same group are prefetched across the group's calls, so that the requests trickle out among
        // the products rather than queue behind each other in one burst.
        int pairs = rows / 2;
        int prefetchRows = pairs == 0 ? 8 : (8 + pairs - 1) / pairs;
        int j = 0;
        for (; j + 8 <= count; j += 8)
        {
            TB* bGroup = b + (j * bStride);
            int r = 0;
            for (int pair = 0; pair < pairs; pair++, r += 2)
            {
                float* aRow = a + (r * aStride);
                float* cRow = c + (r * cStride) + j;
                int prefetchFrom = pair * prefetchRows;
                if (prefetchFrom < 8)
                {
                    next.Prefetch(j + prefetchFrom, Math.Min(prefetchRows, 8 - prefetchFrom));
                }

                TwoRowsFourDots(aRow, aStride, bGroup, bStride, depth, cRow, cStride);
                TwoRowsFourDots(aRow, aStride, bGroup + (4 * bStride), bStride, depth, cRow + 4, cStride);
            }

            if (r < rows)
            {
                if (pairs == 0)
                {
                    next.Prefetch(j, prefetchRows);
                }

                OneRowEightDots(a + (r * aStride), bGroup, bStride, depth, c + (r * cStride) + j);
            }
        }

        for (; j < count; j++)
        {
            for (int r = 0; r < rows; r++)
            {
                c[(r * cStride) + j] = Dot(a + (r * aStride), b + (j * bStride), depth);
            }
        }
    }

    /// <summary>See <see cref="ISimdKernels.KeyPairScores"/>.</summary>
    /// <param name="keys">The first key row.</param>
    /// <param name="keyStride">The distance in floats between key rows.</param>
    /// <param name="count">The number of keys.</param>
    /// <param name="depth">The features per key.</param>
    /// <param name="queriesTransposed">One or two vectors of queries per feature.</param>
    /// <param name="lanes">The queries: one or two vectors' worth.</param>
    /// <param name="scores">Receives <paramref name="lanes"/> scores per key.</param>
    /// <param name="next">The next key tile, whose key rows (and value rows, for two vectors of queries) are prefetched two per pair of keys, a line at a time.</param>
    public static void KeyPairScores(float* keys, nint keyStride, int count, int depth, float* queriesTransposed, int lanes, float* scores, in NextKeyTile next)
    {
        if (lanes == TLanes.Count)
        {
            KeyPairScoresOneVector(keys, keyStride, count, depth, queriesTransposed, scores, next);
        }
        else if (lanes == 2 * TLanes.Count)
        {
            KeyPairScoresTwoVectors(keys, keyStride, count, depth, queriesTransposed, scores, next);
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, $"Expected {TLanes.Count} or {2 * TLanes.Count} query lanes.");
        }
    }

    // Each key's sum is split into four partial sums over the features: eight independent FMA chains in all. Each step
    // reads eight features of both keys, a line's worth, and asks for one line of the next tile's two key rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KeyPairScoresOneVector(float* keys, nint keyStride, int count, int depth, float* queriesTransposed, float* scores, in NextKeyTile next)
    {
        int width = TLanes.Count;
        int blocked = depth & ~7;
        for (int j = 0; j < count; j += 2)
        {
            NextTileLines lines = next.KeyLines(j, 2);
            float* k = keys + (j * keyStride);

            // A last key without a partner pairs with itself; its copy's sums are not stored.
            nint partner = j + 1 < count ? keyStride : 0;
            TVector a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            float* q = queriesTransposed;
            float* end = k + blocked;
            for (; k < end; k += 8, q += 8 * width)
            {
                lines.PrefetchNext();
                float* l = k + partner;
                TVector q0 = TLanes.Load(q), q1 = TLanes.Load(q + width), q2 = TLanes.Load(q + (2 * width)), q3 = TLanes.Load(q + (3 * width));
                a0 = TLanes.MultiplyAdd(TLanes.Broadcast(k[0]), q0, a0);
                b0 = TLanes.MultiplyAdd(TLanes.Broadcast(l[0]), q0, b0);
                a1 = TLanes.MultiplyAdd(TLanes.Broadcast(k[1]), q1, a1);
                b1 = TLanes.MultiplyAdd(TLanes.Broadcast(l[1]), q1, b1);
                a2 = TLanes.MultiplyAdd(TLanes.Broadcast(k[2]), q2, a2);
                b2 = TLanes.MultiplyAdd(TLanes.Broadcast(l[2]), q2, b2);
                a3 = TLanes.MultiplyAdd(TLanes.Broadcast(k[3]), q3, a3);
                b3 = TLanes.MultiplyAdd(TLanes.Broadcast(l[3]), q3, b3);
                q0 = TLanes.Load(q + (4 * width));
                q1 = TLanes.Load(q + (5 * width));
                q2 = TLanes.Load(q + (6 * width));
                q3 = TLanes.Load(q + (7 * width));
                a0 = TLanes.MultiplyAdd(TLanes.Broadcast(k[4]), q0, a0);
                b0 = TLanes.MultiplyAdd(TLanes.Broadcast(l[4]), q0, b0);
                a1 = TLanes.MultiplyAdd(TLanes.Broadcast(k[5]), q1, a1);
                b1 = TLanes.MultiplyAdd(TLanes.Broadcast(l[5]), q1, b1);
                a2 = TLanes.MultiplyAdd(TLanes.Broadcast(k[6]), q2, a2);
                b2 = TLanes.MultiplyAdd(TLanes.Broadcast(l[6]), q2, b2);
                a3 = TLanes.MultiplyAdd(TLanes.Broadcast(k[7]), q3, a3);
                b3 = TLanes.MultiplyAdd(TLanes.Broadcast(l[7]), q3, b3);
            }

            lines.PrefetchRest();
            for (int d = blocked; d < depth; d++, k++, q += width)
            {
                TVector qd = TLanes.Load(q);
                a0 = TLanes.MultiplyAdd(TLanes.Broadcast(k[0]), qd, a0);
                b0 = TLanes.MultiplyAdd(TLanes.Broadcast(k[partner]), qd, b0);
            }

            TLanes.Store(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3)), scores + (j * width));
            if (partner != 0)
            {
                TLanes.Store(TLanes.Add(TLanes.Add(b0, b1), TLanes.Add(b2, b3)), scores + ((j + 1) * width));
            }
        }
    }

    // Each key's two vectors of sums are split over even and odd features: eight independent FMA chains in all. Each step
    // of eight features asks for one line of the next tile's two key rows and one of its two value rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KeyPairScoresTwoVectors(float* keys, nint keyStride, int count, int depth, float* queriesTransposed, float* scores, in NextKeyTile next)
    {
        int width = TLanes.Count;
        int lanes = 2 * width;
        int blocked = depth & ~7;
        for (int j = 0; j < count; j += 2)
        {
            NextTileLines keyLines = next.KeyLines(j, 2);
            NextTileLines valueLines = next.ValueLines(j, 2);
            float* k = keys + (j * keyStride);

            // A last key without a partner pairs with itself; its copy's sums are not stored.
            nint partner = j + 1 < count ? keyStride : 0;
            TVector a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            float* q = queriesTransposed;
            float* end = k + blocked;
            for (; k < end; k += 8)
            {
                keyLines.PrefetchNext();
                valueLines.PrefetchNext();
                float* l = k + partner;
                for (int d = 0; d < 8; d += 2, q += 2 * lanes)
                {
                    TVector q00 = TLanes.Load(q), q01 = TLanes.Load(q + width), q10 = TLanes.Load(q + lanes), q11 = TLanes.Load(q + lanes + width);
                    TVector x = TLanes.Broadcast(k[d]), y = TLanes.Broadcast(l[d]);
                    a0 = TLanes.MultiplyAdd(x, q00, a0);
                    a1 = TLanes.MultiplyAdd(x, q01, a1);
                    b0 = TLanes.MultiplyAdd(y, q00, b0);
                    b1 = TLanes.MultiplyAdd(y, q01, b1);
                    x = TLanes.Broadcast(k[d + 1]);
                    y = TLanes.Broadcast(l[d + 1]);
                    a2 = TLanes.MultiplyAdd(x, q10, a2);
                    a3 = TLanes.MultiplyAdd(x, q11, a3);
                    b2 = TLanes.MultiplyAdd(y, q10, b2);
                    b3 = TLanes.MultiplyAdd(y, q11, b3);
                }
            }

            keyLines.PrefetchRest();
            valueLines.PrefetchRest();
            for (int d = blocked; d < depth; d++, k++, q += lanes)
            {
                TVector q0 = TLanes.Load(q), q1 = TLanes.Load(q + width);
                TVector x = TLanes.Broadcast(k[0]), y = TLanes.Broadcast(k[partner]);
                a0 = TLanes.MultiplyAdd(x, q0, a0);
                a1 = TLanes.MultiplyAdd(x, q1, a1);
                b0 = TLanes.MultiplyAdd(y, q0, b0);
                b1 = TLanes.MultiplyAdd(y, q1, b1);
            }

            float* row = scores + (j * lanes);
            TLanes.Store(TLanes.Add(a0, a2), row);
            TLanes.Store(TLanes.Add(a1, a3), row + width);
            if (partner != 0)
            {
                TLanes.Store(TLanes.Add(b0, b2), row + lanes);
                TLanes.Store(TLanes.Add(b1, b3), row + lanes + width);
            }
        }
    }

    /// <summary>See <see cref="ISimdKernels.AccumulateValues"/>.</summary>
    /// <param name="probabilities">The first row's probability for the first key.</param>
    /// <param name="rowStride">The distance in floats between rows' probabilities.</param>
    /// <param name="keyStride">The distance in floats between keys' probabilities.</param>
    /// <param name="rows">The query rows.</param>
    /// <param name="keys">The keys.</param>
    /// <param name="values">The first value row.</param>
    /// <param name="valueStride">The distance in floats between value rows.</param>
    /// <param name="valueDim">The features per value row.</param>
    /// <param name="output">The first output row, <paramref name="valueDim"/> floats per row.</param>
    /// <param name="next">The next key tile, whose value rows are prefetched a line at a time.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateValues(float* probabilities, nint rowStride, nint keyStride, int rows, int keys, float* values, nint valueStride, int valueDim, float* output, in NextKeyTile next)
    {
        int width = TLanes.Count;
        NextTileLines lines = next.ValueLines(0, keys);
        int blockRows = rows / 4 * 4;
        int blockColumns = valueDim / (2 * width) * 2 * width;

        // One request per so many keys of each block that the lines last through all the blocks: a power of two, so
        // that the blocks test it with a mask.
        long steps = (long)(rows / 4) * (valueDim / (2 * width)) * keys;
        long lineCount = Math.Max(1, lines.Remaining);
        int keysPerLine = (int)Math.Clamp(steps / lineCount, 1, Math.Max(1, keys));
        int keyMask = (1 << BitOperations.Log2((uint)keysPerLine)) - 1;
        for (int r = 0; r < blockRows; r += 4)
        {
            for (int n = 0; n < blockColumns; n += 2 * width)
            {
                FourRowsTwoVectorsOfValues(probabilities + (r * rowStride), rowStride, keyStride, keys, values + n, valueStride, output + (r * valueDim) + n, valueDim, keyMask, ref lines);
            }
        }

        // Rows and columns past the whole blocks: none for the head dims decoding meets (multiples of 16 on 256-bit
        // vectors) and the row counts its items have (one vector; 4 or 8 on the 256-bit row path).
        if (blockColumns < valueDim)
        {
            MultiplyAdd(probabilities, rowStride, keyStride, blockRows, keys, values + blockColumns, valueStride, valueDim - blockColumns, output + blockColumns, valueDim, accumulate: true);
        }

        if (blockRows < rows)
        {
            MultiplyAdd(probabilities + (blockRows * rowStride), rowStride, keyStride, rows - blockRows, keys, values, valueStride, valueDim, output + (blockRows * valueDim), valueDim, accumulate: true);
        }

        lines.PrefetchRest();
    }

    // The p·v block of AccumulateValues: four rows by two vectors in registers over all keys, one line of the next tile's
    // values asked for at each key that keyMask leaves zero.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRowsTwoVectorsOfValues(float* p, nint rowStride, nint keyStride, int keys, float* v, nint valueStride, float* o, int outputStride, int keyMask, ref NextTileLines lines)
    {
        int width = TLanes.Count;
        nint row2 = 2 * rowStride, row3 = 3 * rowStride;
        TVector left0 = TLanes.Load(o), right0 = TLanes.Load(o + width);
        TVector left1 = TLanes.Load(o + outputStride), right1 = TLanes.Load(o + outputStride + width);
        TVector left2 = TLanes.Load(o + (2 * outputStride)), right2 = TLanes.Load(o + (2 * outputStride) + width);
        TVector left3 = TLanes.Load(o + (3 * outputStride)), right3 = TLanes.Load(o + (3 * outputStride) + width);
        for (int j = 0; j < keys; j++, p += keyStride, v += valueStride)
        {
            if ((j & keyMask) == 0)
            {
                lines.PrefetchNext();
            }

            TVector v0 = TLanes.Load(v), v1 = TLanes.Load(v + width);
            TVector x = TLanes.Broadcast(p[0]);
            left0 = TLanes.MultiplyAdd(x, v0, left0);
            right0 = TLanes.MultiplyAdd(x, v1, right0);
            x = TLanes.Broadcast(p[rowStride]);
            left1 = TLanes.MultiplyAdd(x, v0, left1);
            right1 = TLanes.MultiplyAdd(x, v1, right1);
            x = TLanes.Broadcast(p[row2]);
            left2 = TLanes.MultiplyAdd(x, v0, left2);
            right2 = TLanes.MultiplyAdd(x, v1, right2);
            x = TLanes.Broadcast(p[row3]);
            left3 = TLanes.MultiplyAdd(x, v0, left3);
            right3 = TLanes.MultiplyAdd(x, v1, right3);
        }

        TLanes.Store(left0, o);
        TLanes.Store(right0, o + width);
        TLanes.Store(left1, o + outputStride);
        TLanes.Store(right1, o + outputStride + width);
        TLanes.Store(left2, o + (2 * outputStride));
        TLanes.Store(right2, o + (2 * outputStride) + width);
        TLanes.Store(left3, o + (3 * outputStride));
        TLanes.Store(right3, o + (3 * outputStride) + width);
    }

    /// <summary>See <see cref="ISimdKernels.PairBFloat16Features"/>.</summary>
    /// <param name="rows">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="count">The number of rows.</param>
    /// <param name="depth">The features per row.</param>
    public static void PairBFloat16Features(float* rows, nint stride, int count, int depth) => ReorderBlocks(rows, stride, count, depth, pair: true);

    /// <summary>See <see cref="ISimdKernels.UnpairBFloat16Features"/>.</summary>
    /// <param name="rows">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="count">The number of rows.</param>
    /// <param name="depth">The features per row.</param>
    public static void UnpairBFloat16Features(float* rows, nint stride, int count, int depth) => ReorderBlocks(rows, stride, count, depth, pair: false);

    private static void ReorderBlocks(float* rows, nint stride, int count, int depth, bool pair)
    {
        int block = 2 * TLanes.Count;
        float* original = stackalloc float[block];
        for (int r = 0; r < count; r++)
        {
            float* row = rows + (r * stride);
            for (int d = 0; d + block <= depth; d += block)
            {
                new ReadOnlySpan<float>(row + d, block).CopyTo(new Span<float>(original, block));
                for (int i = 0; i < TLanes.Count; i++)
                {
                    if (pair)
                    {
                        row[d + i] = original[2 * i];
                        row[d + TLanes.Count + i] = original[(2 * i) + 1];
                    }
                    else
                    {
                        row[d + (2 * i)] = original[i];
                        row[d + (2 * i) + 1] = original[TLanes.Count + i];
                    }
                }
            }
        }
    }

    /// <summary>See <see cref="ISimdKernels.RowMax"/>.</summary>
    /// <param name="values">The first value.</param>
    /// <param name="count">The number of values, at least one.</param>
    /// <returns>The max.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float RowMax(float* values, int count)
    {
        float max = float.NegativeInfinity;
        int i = 0;
        if (count >= TLanes.Count)
        {
            TVector m0 = TLanes.Load(values);
            TVector m1 = m0;
            for (i = TLanes.Count; i + (2 * TLanes.Count) <= count; i += 2 * TLanes.Count)
            {
                m0 = TLanes.Max(m0, TLanes.Load(values + i));
                m1 = TLanes.Max(m1, TLanes.Load(values + i + TLanes.Count));
            }

            for (; i + TLanes.Count <= count; i += TLanes.Count)
            {
                m0 = TLanes.Max(m0, TLanes.Load(values + i));
            }

            max = TLanes.MaxAcross(TLanes.Max(m0, m1));
        }

        for (; i < count; i++)
        {
            max = MathF.Max(max, values[i]);
        }

        return max;
    }

    /// <summary>See <see cref="ISimdKernels.Exponentiate2AndSum"/>.</summary>
    /// <param name="values">The first value.</param>
    /// <param name="count">The number of values.</param>
    /// <param name="offset">The running max.</param>
    /// <returns>The sum of the powers of two.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Exponentiate2AndSum(float* values, int count, float offset)
    {
        TVector shift = TLanes.Broadcast(offset);
        TVector total = TLanes.Zero;
        int i = 0;
        for (; i + TLanes.Count <= count; i += TLanes.Count)
        {
            TVector exponential = TLanes.Exp2Shifted(TLanes.Load(values + i), shift);
            TLanes.Store(exponential, values + i);
            total = TLanes.Add(total, exponential);
        }

        float sum = TLanes.Sum(total);
        for (; i < count; i++)
        {
            float exponential = float.Exp2(values[i] - offset);
            values[i] = exponential;
            sum += exponential;
        }

        return sum;
    }

    /// <summary>See <see cref="ISimdKernels.ColumnMax"/>.</summary>
    /// <param name="values">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="rows">The number of rows, at least one.</param>
    /// <param name="columns">The number of columns, a multiple of the vector width.</param>
    /// <param name="max">The column maxima.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColumnMax(float* values, nint stride, int rows, int columns, float* max)
    {
        int width = TLanes.Count;
        int n = 0;

        // Four columns of vectors at a time: one vector's max chain would wait on the max latency at every row.
        for (; n + (4 * width) <= columns; n += 4 * width)
        {
            float* row = values + n;
            TVector m0 = TLanes.Load(row), m1 = TLanes.Load(row + width), m2 = TLanes.Load(row + (2 * width)), m3 = TLanes.Load(row + (3 * width));
            for (int r = 1; r < rows; r++)
            {
                row += stride;
                m0 = TLanes.Max(m0, TLanes.Load(row));
                m1 = TLanes.Max(m1, TLanes.Load(row + width));
                m2 = TLanes.Max(m2, TLanes.Load(row + (2 * width)));
                m3 = TLanes.Max(m3, TLanes.Load(row + (3 * width)));
            }

            StoreFour(m0, m1, m2, m3, max + n);
        }

        for (; n < columns; n += width)
        {
            float* row = values + n;
            TVector m = TLanes.Load(row);
            for (int r = 1; r < rows; r++)
            {
                row += stride;
                m = TLanes.Max(m, TLanes.Load(row));
            }

            TLanes.Store(m, max + n);
        }
    }

    /// <summary>See <see cref="ISimdKernels.Exponentiate2ColumnsAndSum"/>.</summary>
    /// <param name="values">The first row.</param>
    /// <param name="stride">The distance in floats between rows.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">The number of columns, a multiple of the vector width.</param>
    /// <param name="offsets">Each column's running max.</param>
    /// <param name="sums">Each column's running sum, added to.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exponentiate2ColumnsAndSum(float* values, nint stride, int rows, int columns, float* offsets, float* sums)
    {
        for (int n = 0; n < columns; n += TLanes.Count)
        {
            TVector shift = TLanes.Load(offsets + n);
            TVector total = TLanes.Load(sums + n);
            float* row = values + n;
            for (int r = 0; r < rows; r++, row += stride)
            {
                TVector exponential = TLanes.Exp2Shifted(TLanes.Load(row), shift);
                TLanes.Store(exponential, row);
                total = TLanes.Add(total, exponential);
            }

            TLanes.Store(total, sums + n);
        }
    }

    // Eight dot products at once leave their sums across lanes to one shuffle tree (IVectorLanes.SumEach), a few
    // shuffles per product where a reduction of each would take a whole tree. Two rows of a share each load of b.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoRowsFourDots<TB>(float* a0, nint aStride, TB* b0, nint bStride, int depth, float* c, nint cStride)
        where TB : unmanaged
    {
        float* a1 = a0 + aStride;
        TB* b1 = b0 + bStride;
        TB* b2 = b1 + bStride;
        TB* b3 = b2 + bStride;
        TVector s00 = TLanes.Zero, s01 = TLanes.Zero, s02 = TLanes.Zero, s03 = TLanes.Zero;
        TVector s10 = TLanes.Zero, s11 = TLanes.Zero, s12 = TLanes.Zero, s13 = TLanes.Zero;
        int d = 0;
        if (typeof(TB) == typeof(BFloat16))
        {
            for (; d + (2 * TLanes.Count) <= depth; d += 2 * TLanes.Count)
            {
                TVector even0 = TLanes.Load(a0 + d), odd0 = TLanes.Load(a0 + d + TLanes.Count);
                TVector even1 = TLanes.Load(a1 + d), odd1 = TLanes.Load(a1 + d + TLanes.Count);
                TLanes.LoadBFloat16Pairs((ushort*)(b0 + d), out TVector even, out TVector odd);
                s00 = TLanes.MultiplyAdd(odd0, odd, TLanes.MultiplyAdd(even0, even, s00));
                s10 = TLanes.MultiplyAdd(odd1, odd, TLanes.MultiplyAdd(even1, even, s10));
                TLanes.LoadBFloat16Pairs((ushort*)(b1 + d), out even, out odd);
                s01 = TLanes.MultiplyAdd(odd0, odd, TLanes.MultiplyAdd(even0, even, s01));
                s11 = TLanes.MultiplyAdd(odd1, odd, TLanes.MultiplyAdd(even1, even, s11));
                TLanes.LoadBFloat16Pairs((ushort*)(b2 + d), out even, out odd);
                s02 = TLanes.MultiplyAdd(odd0, odd, TLanes.MultiplyAdd(even0, even, s02));
                s12 = TLanes.MultiplyAdd(odd1, odd, TLanes.MultiplyAdd(even1, even, s12));
                TLanes.LoadBFloat16Pairs((ushort*)(b3 + d), out even, out odd);
                s03 = TLanes.MultiplyAdd(odd0, odd, TLanes.MultiplyAdd(even0, even, s03));
                s13 = TLanes.MultiplyAdd(odd1, odd, TLanes.MultiplyAdd(even1, even, s13));
            }
        }

        for (; d + TLanes.Count <= depth; d += TLanes.Count)
        {
            TVector x0 = TLanes.Load(a0 + d);
            TVector x1 = TLanes.Load(a1 + d);
            TVector k = LoadB(b0 + d);
            s00 = TLanes.MultiplyAdd(x0, k, s00);
            s10 = TLanes.MultiplyAdd(x1, k, s10);
            k = LoadB(b1 + d);
            s01 = TLanes.MultiplyAdd(x0, k, s01);
            s11 = TLanes.MultiplyAdd(x1, k, s11);
            k = LoadB(b2 + d);
            s02 = TLanes.MultiplyAdd(x0, k, s02);
            s12 = TLanes.MultiplyAdd(x1, k, s12);
            k = LoadB(b3 + d);
            s03 = TLanes.MultiplyAdd(x0, k, s03);
            s13 = TLanes.MultiplyAdd(x1, k, s13);
        }

        Vector256<float> sums = TLanes.SumEach(s00, s01, s02, s03, s10, s11, s12, s13);
        if (d < depth)
        {
            sums += DotTails(a0, aStride, b0, bStride, 4, d, depth);
        }

        sums.GetLower().Store(c);
        sums.GetUpper().Store(c + cStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRowEightDots<TB>(float* a, TB* b0, nint bStride, int depth, float* c)
        where TB : unmanaged
    {
        TB* b1 = b0 + bStride;
        TB* b2 = b1 + bStride;
        TB* b3 = b2 + bStride;
        TB* b4 = b3 + bStride;
        TB* b5 = b4 + bStride;
        TB* b6 = b5 + bStride;
        TB* b7 = b6 + bStride;
        TVector s0 = TLanes.Zero, s1 = TLanes.Zero, s2 = TLanes.Zero, s3 = TLanes.Zero;
        TVector s4 = TLanes.Zero, s5 = TLanes.Zero, s6 = TLanes.Zero, s7 = TLanes.Zero;
        int d = 0;
        if (typeof(TB) == typeof(BFloat16))
        {
            for (; d + (2 * TLanes.Count) <= depth; d += 2 * TLanes.Count)
            {
                TVector evenA = TLanes.Load(a + d), oddA = TLanes.Load(a + d + TLanes.Count);
                s0 = AddPairedProducts(s0, evenA, oddA, (ushort*)(b0 + d));
                s1 = AddPairedProducts(s1, evenA, oddA, (ushort*)(b1 + d));
                s2 = AddPairedProducts(s2, evenA, oddA, (ushort*)(b2 + d));
                s3 = AddPairedProducts(s3, evenA, oddA, (ushort*)(b3 + d));
                s4 = AddPairedProducts(s4, evenA, oddA, (ushort*)(b4 + d));
                s5 = AddPairedProducts(s5, evenA, oddA, (ushort*)(b5 + d));
                s6 = AddPairedProducts(s6, evenA, oddA, (ushort*)(b6 + d));
                s7 = AddPairedProducts(s7, evenA, oddA, (ushort*)(b7 + d));
            }
        }

        for (; d + TLanes.Count <= depth; d += TLanes.Count)
        {
            TVector x = TLanes.Load(a + d);
            s0 = TLanes.MultiplyAdd(x, LoadB(b0 + d), s0);
            s1 = TLanes.MultiplyAdd(x, LoadB(b1 + d), s1);
            s2 = TLanes.MultiplyAdd(x, LoadB(b2 + d), s2);
            s3 = TLanes.MultiplyAdd(x, LoadB(b3 + d), s3);
            s4 = TLanes.MultiplyAdd(x, LoadB(b4 + d), s4);
            s5 = TLanes.MultiplyAdd(x, LoadB(b5 + d), s5);
            s6 = TLanes.MultiplyAdd(x, LoadB(b6 + d), s6);
            s7 = TLanes.MultiplyAdd(x, LoadB(b7 + d), s7);
        }

        Vector256<float> sums = TLanes.SumEach(s0, s1, s2, s3, s4, s5, s6, s7);
        if (d < depth)
        {
            sums += DotTails(a, 0, b0, bStride, 8, d, depth);
        }

        sums.Store(c);
    }

    // sum + a · b over one block of 2·width features: a paired as PairBFloat16Features writes, b a bf16 row read two
    // values per word.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector AddPairedProducts(TVector sum, TVector evenA, TVector oddA, ushort* b)
    {
        TLanes.LoadBFloat16Pairs(b, out TVector even, out TVector odd);
        return TLanes.MultiplyAdd(oddA, odd, TLanes.MultiplyAdd(evenA, even, sum));
    }

    // The eight-dot kernels' tails, for depths that are not whole vectors: lane i pairs row i / keys of a with row
    // i % keys of b. Apart from the kernels, because eight inlined calls kept the kernels' row pointers alive across
    // calls: the JIT spilled three of them and reloaded them on every iteration of the product loop, three more loads
    // per eight FMAs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> DotTails<TB>(float* a, nint aStride, TB* b, nint bStride, int keys, int from, int depth)
        where TB : unmanaged
    {
        Vector256<float> tails = Vector256<float>.Zero;
        for (int lane = 0; lane < Vector256<float>.Count; lane++)
        {
            tails = tails.WithElement(lane, DotTail(a + (lane / keys * aStride), b + (lane % keys * bStride), from, depth));
        }

        return tails;
    }

    private static float DotTail<TB>(float* a, TB* b, int from, int depth)
        where TB : unmanaged
    {
        float sum = 0f;
        for (int d = from; d < depth; d++)
        {
            sum += a[d] * ElementB(b + d);
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot<TB>(float* a, TB* b, int depth)
        where TB : unmanaged
    {
        TVector sum = TLanes.Zero;
        int d = 0;
        if (typeof(TB) == typeof(BFloat16))
        {
            for (; d + (2 * TLanes.Count) <= depth; d += 2 * TLanes.Count)
            {
                sum = AddPairedProducts(sum, TLanes.Load(a + d), TLanes.Load(a + d + TLanes.Count), (ushort*)(b + d));
            }
        }

        for (; d + TLanes.Count <= depth; d += TLanes.Count)
        {
            sum = TLanes.MultiplyAdd(TLanes.Load(a + d), LoadB(b + d), sum);
        }

        return TLanes.Sum(sum) + DotTail(a, b, d, depth);
    }

    // The JIT folds the check away for the two types LoadB and ElementB read; any other would be misread as bfloat16.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RequireSupportedB<TB>()
        where TB : unmanaged
    {
        if (typeof(TB) != typeof(float) && typeof(TB) != typeof(BFloat16))
        {
            throw new NotSupportedException($"The micro-kernels read b as float or BFloat16, not {typeof(TB).Name}.");
        }
    }

    // Two vectors of b's row: for bf16 b, its even and then its odd columns (one load for both), which is why the
    // product pairs c's whole blocks of two vectors.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadBPair<TB>(TB* source, out TVector first, out TVector second)
        where TB : unmanaged
    {
        if (typeof(TB) == typeof(float))
        {
            first = TLanes.Load((float*)source);
            second = TLanes.Load((float*)source + TLanes.Count);
        }
        else
        {
            TLanes.LoadBFloat16Pairs((ushort*)source, out first, out second);
        }
    }

    // A bfloat16 is the upper half of a float, so b's bfloat16 rows widen in registers as they load, with no conversion pass.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector LoadB<TB>(TB* source)
        where TB : unmanaged =>
        typeof(TB) == typeof(float) ? TLanes.Load((float*)source) : TLanes.LoadBFloat16((ushort*)source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ElementB<TB>(TB* source)
        where TB : unmanaged =>
        typeof(TB) == typeof(float) ? *(float*)source : BitConverter.Int32BitsToSingle(*(ushort*)source << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Start(float* c, bool accumulate) => accumulate ? TLanes.Load(c) : TLanes.Zero;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourVectorStrip<TB>(float* a, nint aStride, nint aDepthStride, int rows, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int r = 0;
        for (; r + 6 <= rows; r += 6)
        {
            SixRowsFourVectors(a + (r * aStride), aStride, aDepthStride, depth, b, bStride, c + (r * cStride), cStride, accumulate);
        }

        if (r + 4 <= rows)
        {
            FourRowsFourVectors(a + (r * aStride), aStride, aDepthStride, depth, b, bStride, c + (r * cStride), cStride, accumulate);
            r += 4;
        }

        if (r + 2 <= rows)
        {
            TwoRowsFourVectors(a + (r * aStride), aStride, aDepthStride, depth, b, bStride, c + (r * cStride), cStride, accumulate);
            r += 2;
        }

        if (r < rows)
        {
            OneRowFourVectors(a + (r * aStride), aDepthStride, depth, b, bStride, c + (r * cStride), accumulate);
        }
    }

    // The four-vector blocks keep few pointers live in the depth loop so that the JIT need not spill any there: a is read
    // through running pointers to column k of one or two rows, with the other rows one or two strides further, b through
    // one running pointer, and the rows of c are walked again after the loop instead of being held across it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SixRowsFourVectors<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        float* cRow = c;
        TVector s00 = Start(cRow, accumulate), s01 = Start(cRow + width, accumulate), s02 = Start(cRow + (2 * width), accumulate), s03 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s10 = Start(cRow, accumulate), s11 = Start(cRow + width, accumulate), s12 = Start(cRow + (2 * width), accumulate), s13 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s20 = Start(cRow, accumulate), s21 = Start(cRow + width, accumulate), s22 = Start(cRow + (2 * width), accumulate), s23 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s30 = Start(cRow, accumulate), s31 = Start(cRow + width, accumulate), s32 = Start(cRow + (2 * width), accumulate), s33 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s40 = Start(cRow, accumulate), s41 = Start(cRow + width, accumulate), s42 = Start(cRow + (2 * width), accumulate), s43 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s50 = Start(cRow, accumulate), s51 = Start(cRow + width, accumulate), s52 = Start(cRow + (2 * width), accumulate), s53 = Start(cRow + (3 * width), accumulate);
        nint twoStrides = 2 * aStride;
        float* top = a;
        float* bottom = a + (3 * aStride);
        TB* bRow = b;
        for (int k = 0; k < depth; k++, top += aDepthStride, bottom += aDepthStride, bRow += bStride)
        {
            LoadBPair(bRow, out TVector b0, out TVector b1);
            LoadBPair(bRow + (2 * width), out TVector b2, out TVector b3);
            TVector x = TLanes.Broadcast(*top);
            s00 = TLanes.MultiplyAdd(x, b0, s00);
            s01 = TLanes.MultiplyAdd(x, b1, s01);
            s02 = TLanes.MultiplyAdd(x, b2, s02);
            s03 = TLanes.MultiplyAdd(x, b3, s03);
            x = TLanes.Broadcast(top[aStride]);
            s10 = TLanes.MultiplyAdd(x, b0, s10);
            s11 = TLanes.MultiplyAdd(x, b1, s11);
            s12 = TLanes.MultiplyAdd(x, b2, s12);
            s13 = TLanes.MultiplyAdd(x, b3, s13);
            x = TLanes.Broadcast(top[twoStrides]);
            s20 = TLanes.MultiplyAdd(x, b0, s20);
            s21 = TLanes.MultiplyAdd(x, b1, s21);
            s22 = TLanes.MultiplyAdd(x, b2, s22);
            s23 = TLanes.MultiplyAdd(x, b3, s23);
            x = TLanes.Broadcast(*bottom);
            s30 = TLanes.MultiplyAdd(x, b0, s30);
            s31 = TLanes.MultiplyAdd(x, b1, s31);
            s32 = TLanes.MultiplyAdd(x, b2, s32);
            s33 = TLanes.MultiplyAdd(x, b3, s33);
            x = TLanes.Broadcast(bottom[aStride]);
            s40 = TLanes.MultiplyAdd(x, b0, s40);
            s41 = TLanes.MultiplyAdd(x, b1, s41);
            s42 = TLanes.MultiplyAdd(x, b2, s42);
            s43 = TLanes.MultiplyAdd(x, b3, s43);
            x = TLanes.Broadcast(bottom[twoStrides]);
            s50 = TLanes.MultiplyAdd(x, b0, s50);
            s51 = TLanes.MultiplyAdd(x, b1, s51);
            s52 = TLanes.MultiplyAdd(x, b2, s52);
            s53 = TLanes.MultiplyAdd(x, b3, s53);
        }

        cRow = c;
        StoreFour(s00, s01, s02, s03, cRow);
        cRow += cStride;
        StoreFour(s10, s11, s12, s13, cRow);
        cRow += cStride;
        StoreFour(s20, s21, s22, s23, cRow);
        cRow += cStride;
        StoreFour(s30, s31, s32, s33, cRow);
        cRow += cStride;
        StoreFour(s40, s41, s42, s43, cRow);
        cRow += cStride;
        StoreFour(s50, s51, s52, s53, cRow);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRowsFourVectors<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        float* cRow = c;
        TVector s00 = Start(cRow, accumulate), s01 = Start(cRow + width, accumulate), s02 = Start(cRow + (2 * width), accumulate), s03 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s10 = Start(cRow, accumulate), s11 = Start(cRow + width, accumulate), s12 = Start(cRow + (2 * width), accumulate), s13 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s20 = Start(cRow, accumulate), s21 = Start(cRow + width, accumulate), s22 = Start(cRow + (2 * width), accumulate), s23 = Start(cRow + (3 * width), accumulate);
        cRow += cStride;
        TVector s30 = Start(cRow, accumulate), s31 = Start(cRow + width, accumulate), s32 = Start(cRow + (2 * width), accumulate), s33 = Start(cRow + (3 * width), accumulate);
        float* top = a;
        float* bottom = a + (2 * aStride);
        TB* bRow = b;
        for (int k = 0; k < depth; k++, top += aDepthStride, bottom += aDepthStride, bRow += bStride)
        {
            LoadBPair(bRow, out TVector b0, out TVector b1);
            LoadBPair(bRow + (2 * width), out TVector b2, out TVector b3);
            TVector x = TLanes.Broadcast(*top);
            s00 = TLanes.MultiplyAdd(x, b0, s00);
            s01 = TLanes.MultiplyAdd(x, b1, s01);
            s02 = TLanes.MultiplyAdd(x, b2, s02);
            s03 = TLanes.MultiplyAdd(x, b3, s03);
            x = TLanes.Broadcast(top[aStride]);
            s10 = TLanes.MultiplyAdd(x, b0, s10);
            s11 = TLanes.MultiplyAdd(x, b1, s11);
            s12 = TLanes.MultiplyAdd(x, b2, s12);
            s13 = TLanes.MultiplyAdd(x, b3, s13);
            x = TLanes.Broadcast(*bottom);
            s20 = TLanes.MultiplyAdd(x, b0, s20);
            s21 = TLanes.MultiplyAdd(x, b1, s21);
            s22 = TLanes.MultiplyAdd(x, b2, s22);
            s23 = TLanes.MultiplyAdd(x, b3, s23);
            x = TLanes.Broadcast(bottom[aStride]);
            s30 = TLanes.MultiplyAdd(x, b0, s30);
            s31 = TLanes.MultiplyAdd(x, b1, s31);
            s32 = TLanes.MultiplyAdd(x, b2, s32);
            s33 = TLanes.MultiplyAdd(x, b3, s33);
        }

        cRow = c;
        StoreFour(s00, s01, s02, s03, cRow);
        cRow += cStride;
        StoreFour(s10, s11, s12, s13, cRow);
        cRow += cStride;
        StoreFour(s20, s21, s22, s23, cRow);
        cRow += cStride;
        StoreFour(s30, s31, s32, s33, cRow);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoRowsFourVectors<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        float* c1 = c + cStride;
        TVector s00 = Start(c, accumulate), s01 = Start(c + width, accumulate), s02 = Start(c + (2 * width), accumulate), s03 = Start(c + (3 * width), accumulate);
        TVector s10 = Start(c1, accumulate), s11 = Start(c1 + width, accumulate), s12 = Start(c1 + (2 * width), accumulate), s13 = Start(c1 + (3 * width), accumulate);
        float* top = a;
        TB* bRow = b;
        for (int k = 0; k < depth; k++, top += aDepthStride, bRow += bStride)
        {
            LoadBPair(bRow, out TVector b0, out TVector b1);
            LoadBPair(bRow + (2 * width), out TVector b2, out TVector b3);
            TVector x = TLanes.Broadcast(*top);
            s00 = TLanes.MultiplyAdd(x, b0, s00);
            s01 = TLanes.MultiplyAdd(x, b1, s01);
            s02 = TLanes.MultiplyAdd(x, b2, s02);
            s03 = TLanes.MultiplyAdd(x, b3, s03);
            x = TLanes.Broadcast(top[aStride]);
            s10 = TLanes.MultiplyAdd(x, b0, s10);
            s11 = TLanes.MultiplyAdd(x, b1, s11);
            s12 = TLanes.MultiplyAdd(x, b2, s12);
            s13 = TLanes.MultiplyAdd(x, b3, s13);
        }

        StoreFour(s00, s01, s02, s03, c);
        StoreFour(s10, s11, s12, s13, c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRowFourVectors<TB>(float* a, nint aDepthStride, int depth, TB* b, nint bStride, float* c, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        TVector s0 = Start(c, accumulate), s1 = Start(c + width, accumulate), s2 = Start(c + (2 * width), accumulate), s3 = Start(c + (3 * width), accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            TVector x = TLanes.Broadcast(a[at]);
            LoadBPair(bRow, out TVector b0, out TVector b1);
            LoadBPair(bRow + (2 * width), out TVector b2, out TVector b3);
            s0 = TLanes.MultiplyAdd(x, b0, s0);
            s1 = TLanes.MultiplyAdd(x, b1, s1);
            s2 = TLanes.MultiplyAdd(x, b2, s2);
            s3 = TLanes.MultiplyAdd(x, b3, s3);
        }

        StoreFour(s0, s1, s2, s3, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFour(TVector first, TVector second, TVector third, TVector fourth, float* c)
    {
        int width = TLanes.Count;
        TLanes.Store(first, c);
        TLanes.Store(second, c + width);
        TLanes.Store(third, c + (2 * width));
        TLanes.Store(fourth, c + (3 * width));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SixRowsTwoVectors<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        float* a0 = a;
        float* a1 = a0 + aStride;
        float* a2 = a1 + aStride;
        float* a3 = a2 + aStride;
        float* a4 = a3 + aStride;
        float* a5 = a4 + aStride;
        float* c0 = c;
        float* c1 = c0 + cStride;
        float* c2 = c1 + cStride;
        float* c3 = c2 + cStride;
        float* c4 = c3 + cStride;
        float* c5 = c4 + cStride;
        TVector s00 = Start(c0, accumulate), s01 = Start(c0 + width, accumulate);
        TVector s10 = Start(c1, accumulate), s11 = Start(c1 + width, accumulate);
        TVector s20 = Start(c2, accumulate), s21 = Start(c2 + width, accumulate);
        TVector s30 = Start(c3, accumulate), s31 = Start(c3 + width, accumulate);
        TVector s40 = Start(c4, accumulate), s41 = Start(c4 + width, accumulate);
        TVector s50 = Start(c5, accumulate), s51 = Start(c5 + width, accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            LoadBPair(bRow, out TVector b0, out TVector b1);
            TVector x = TLanes.Broadcast(a0[at]);
            s00 = TLanes.MultiplyAdd(x, b0, s00);
            s01 = TLanes.MultiplyAdd(x, b1, s01);
            x = TLanes.Broadcast(a1[at]);
            s10 = TLanes.MultiplyAdd(x, b0, s10);
            s11 = TLanes.MultiplyAdd(x, b1, s11);
            x = TLanes.Broadcast(a2[at]);
            s20 = TLanes.MultiplyAdd(x, b0, s20);
            s21 = TLanes.MultiplyAdd(x, b1, s21);
            x = TLanes.Broadcast(a3[at]);
            s30 = TLanes.MultiplyAdd(x, b0, s30);
            s31 = TLanes.MultiplyAdd(x, b1, s31);
            x = TLanes.Broadcast(a4[at]);
            s40 = TLanes.MultiplyAdd(x, b0, s40);
            s41 = TLanes.MultiplyAdd(x, b1, s41);
            x = TLanes.Broadcast(a5[at]);
            s50 = TLanes.MultiplyAdd(x, b0, s50);
            s51 = TLanes.MultiplyAdd(x, b1, s51);
        }

        TLanes.Store(s00, c0);
        TLanes.Store(s01, c0 + width);
        TLanes.Store(s10, c1);
        TLanes.Store(s11, c1 + width);
        TLanes.Store(s20, c2);
        TLanes.Store(s21, c2 + width);
        TLanes.Store(s30, c3);
        TLanes.Store(s31, c3 + width);
        TLanes.Store(s40, c4);
        TLanes.Store(s41, c4 + width);
        TLanes.Store(s50, c5);
        TLanes.Store(s51, c5 + width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EightRowsTwoVectors<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        float* a0 = a;
        float* a1 = a0 + aStride;
        float* a2 = a1 + aStride;
        float* a3 = a2 + aStride;
        float* a4 = a3 + aStride;
        float* a5 = a4 + aStride;
        float* a6 = a5 + aStride;
        float* a7 = a6 + aStride;
        float* c0 = c;
        float* c1 = c0 + cStride;
        float* c2 = c1 + cStride;
        float* c3 = c2 + cStride;
        float* c4 = c3 + cStride;
        float* c5 = c4 + cStride;
        float* c6 = c5 + cStride;
        float* c7 = c6 + cStride;
        TVector left0 = Start(c0, accumulate), right0 = Start(c0 + width, accumulate);
        TVector left1 = Start(c1, accumulate), right1 = Start(c1 + width, accumulate);
        TVector left2 = Start(c2, accumulate), right2 = Start(c2 + width, accumulate);
        TVector left3 = Start(c3, accumulate), right3 = Start(c3 + width, accumulate);
        TVector left4 = Start(c4, accumulate), right4 = Start(c4 + width, accumulate);
        TVector left5 = Start(c5, accumulate), right5 = Start(c5 + width, accumulate);
        TVector left6 = Start(c6, accumulate), right6 = Start(c6 + width, accumulate);
        TVector left7 = Start(c7, accumulate), right7 = Start(c7 + width, accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            LoadBPair(bRow, out TVector b0, out TVector b1);
            TVector x = TLanes.Broadcast(a0[at]);
            left0 = TLanes.MultiplyAdd(x, b0, left0);
            right0 = TLanes.MultiplyAdd(x, b1, right0);
            x = TLanes.Broadcast(a1[at]);
            left1 = TLanes.MultiplyAdd(x, b0, left1);
            right1 = TLanes.MultiplyAdd(x, b1, right1);
            x = TLanes.Broadcast(a2[at]);
            left2 = TLanes.MultiplyAdd(x, b0, left2);
            right2 = TLanes.MultiplyAdd(x, b1, right2);
            x = TLanes.Broadcast(a3[at]);
            left3 = TLanes.MultiplyAdd(x, b0, left3);
            right3 = TLanes.MultiplyAdd(x, b1, right3);
            x = TLanes.Broadcast(a4[at]);
            left4 = TLanes.MultiplyAdd(x, b0, left4);
            right4 = TLanes.MultiplyAdd(x, b1, right4);
            x = TLanes.Broadcast(a5[at]);
            left5 = TLanes.MultiplyAdd(x, b0, left5);
            right5 = TLanes.MultiplyAdd(x, b1, right5);
            x = TLanes.Broadcast(a6[at]);
            left6 = TLanes.MultiplyAdd(x, b0, left6);
            right6 = TLanes.MultiplyAdd(x, b1, right6);
            x = TLanes.Broadcast(a7[at]);
            left7 = TLanes.MultiplyAdd(x, b0, left7);
            right7 = TLanes.MultiplyAdd(x, b1, right7);
        }

        TLanes.Store(left0, c0);
        TLanes.Store(right0, c0 + width);
        TLanes.Store(left1, c1);
        TLanes.Store(right1, c1 + width);
        TLanes.Store(left2, c2);
        TLanes.Store(right2, c2 + width);
        TLanes.Store(left3, c3);
        TLanes.Store(right3, c3 + width);
        TLanes.Store(left4, c4);
        TLanes.Store(right4, c4 + width);
        TLanes.Store(left5, c5);
        TLanes.Store(right5, c5 + width);
        TLanes.Store(left6, c6);
        TLanes.Store(right6, c6 + width);
        TLanes.Store(left7, c7);
        TLanes.Store(right7, c7 + width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRowsTwoVectors<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        float* a0 = a;
        float* a1 = a0 + aStride;
        float* a2 = a1 + aStride;
        float* a3 = a2 + aStride;
        float* c0 = c;
        float* c1 = c0 + cStride;
        float* c2 = c1 + cStride;
        float* c3 = c2 + cStride;
        TVector left0 = Start(c0, accumulate), right0 = Start(c0 + width, accumulate);
        TVector left1 = Start(c1, accumulate), right1 = Start(c1 + width, accumulate);
        TVector left2 = Start(c2, accumulate), right2 = Start(c2 + width, accumulate);
        TVector left3 = Start(c3, accumulate), right3 = Start(c3 + width, accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            LoadBPair(bRow, out TVector b0, out TVector b1);
            TVector x = TLanes.Broadcast(a0[at]);
            left0 = TLanes.MultiplyAdd(x, b0, left0);
            right0 = TLanes.MultiplyAdd(x, b1, right0);
            x = TLanes.Broadcast(a1[at]);
            left1 = TLanes.MultiplyAdd(x, b0, left1);
            right1 = TLanes.MultiplyAdd(x, b1, right1);
            x = TLanes.Broadcast(a2[at]);
            left2 = TLanes.MultiplyAdd(x, b0, left2);
            right2 = TLanes.MultiplyAdd(x, b1, right2);
            x = TLanes.Broadcast(a3[at]);
            left3 = TLanes.MultiplyAdd(x, b0, left3);
            right3 = TLanes.MultiplyAdd(x, b1, right3);
        }

        TLanes.Store(left0, c0);
        TLanes.Store(right0, c0 + width);
        TLanes.Store(left1, c1);
        TLanes.Store(right1, c1 + width);
        TLanes.Store(left2, c2);
        TLanes.Store(right2, c2 + width);
        TLanes.Store(left3, c3);
        TLanes.Store(right3, c3 + width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SixRowsOneVector<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        float* a0 = a;
        float* a1 = a0 + aStride;
        float* a2 = a1 + aStride;
        float* a3 = a2 + aStride;
        float* a4 = a3 + aStride;
        float* a5 = a4 + aStride;
        float* c0 = c;
        float* c1 = c0 + cStride;
        float* c2 = c1 + cStride;
        float* c3 = c2 + cStride;
        float* c4 = c3 + cStride;
        float* c5 = c4 + cStride;
        TVector s0 = Start(c0, accumulate), s1 = Start(c1, accumulate), s2 = Start(c2, accumulate);
        TVector s3 = Start(c3, accumulate), s4 = Start(c4, accumulate), s5 = Start(c5, accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            TVector b0 = LoadB(bRow);
            s0 = TLanes.MultiplyAdd(TLanes.Broadcast(a0[at]), b0, s0);
            s1 = TLanes.MultiplyAdd(TLanes.Broadcast(a1[at]), b0, s1);
            s2 = TLanes.MultiplyAdd(TLanes.Broadcast(a2[at]), b0, s2);
            s3 = TLanes.MultiplyAdd(TLanes.Broadcast(a3[at]), b0, s3);
            s4 = TLanes.MultiplyAdd(TLanes.Broadcast(a4[at]), b0, s4);
            s5 = TLanes.MultiplyAdd(TLanes.Broadcast(a5[at]), b0, s5);
        }

        TLanes.Store(s0, c0);
        TLanes.Store(s1, c1);
        TLanes.Store(s2, c2);
        TLanes.Store(s3, c3);
        TLanes.Store(s4, c4);
        TLanes.Store(s5, c5);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EightRowsOneVector<TB>(float* a, nint aStride, nint aDepthStride, int depth, TB* b, nint bStride, float* c, nint cStride, bool accumulate)
        where TB : unmanaged
    {
        float* a0 = a;
        float* a1 = a0 + aStride;
        float* a2 = a1 + aStride;
        float* a3 = a2 + aStride;
        float* a4 = a3 + aStride;
        float* a5 = a4 + aStride;
        float* a6 = a5 + aStride;
        float* a7 = a6 + aStride;
        TVector s0 = Start(c, accumulate), s1 = Start(c + cStride, accumulate), s2 = Start(c + (2 * cStride), accumulate), s3 = Start(c + (3 * cStride), accumulate);
        TVector s4 = Start(c + (4 * cStride), accumulate), s5 = Start(c + (5 * cStride), accumulate), s6 = Start(c + (6 * cStride), accumulate), s7 = Start(c + (7 * cStride), accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            TVector b0 = LoadB(bRow);
            s0 = TLanes.MultiplyAdd(TLanes.Broadcast(a0[at]), b0, s0);
            s1 = TLanes.MultiplyAdd(TLanes.Broadcast(a1[at]), b0, s1);
            s2 = TLanes.MultiplyAdd(TLanes.Broadcast(a2[at]), b0, s2);
            s3 = TLanes.MultiplyAdd(TLanes.Broadcast(a3[at]), b0, s3);
            s4 = TLanes.MultiplyAdd(TLanes.Broadcast(a4[at]), b0, s4);
            s5 = TLanes.MultiplyAdd(TLanes.Broadcast(a5[at]), b0, s5);
            s6 = TLanes.MultiplyAdd(TLanes.Broadcast(a6[at]), b0, s6);
            s7 = TLanes.MultiplyAdd(TLanes.Broadcast(a7[at]), b0, s7);
        }

        TLanes.Store(s0, c);
        TLanes.Store(s1, c + cStride);
        TLanes.Store(s2, c + (2 * cStride));
        TLanes.Store(s3, c + (3 * cStride));
        TLanes.Store(s4, c + (4 * cStride));
        TLanes.Store(s5, c + (5 * cStride));
        TLanes.Store(s6, c + (6 * cStride));
        TLanes.Store(s7, c + (7 * cStride));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRowTwoVectors<TB>(float* a, nint aDepthStride, int depth, TB* b, nint bStride, float* c, bool accumulate)
        where TB : unmanaged
    {
        int width = TLanes.Count;
        TVector s0 = Start(c, accumulate), s1 = Start(c + width, accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            TVector x = TLanes.Broadcast(a[at]);
            LoadBPair(bRow, out TVector b0, out TVector b1);
            s0 = TLanes.MultiplyAdd(x, b0, s0);
            s1 = TLanes.MultiplyAdd(x, b1, s1);
        }

        TLanes.Store(s0, c);
        TLanes.Store(s1, c + width);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRowOneVector<TB>(float* a, nint aDepthStride, int depth, TB* b, nint bStride, float* c, bool accumulate)
        where TB : unmanaged
    {
        TVector s = Start(c, accumulate);
        TB* bRow = b;
        for (nint k = 0, at = 0; k < depth; k++, at += aDepthStride, bRow += bStride)
        {
            s = TLanes.MultiplyAdd(TLanes.Broadcast(a[at]), LoadB(bRow), s);
        }

        TLanes.Store(s, c);
    }
}
