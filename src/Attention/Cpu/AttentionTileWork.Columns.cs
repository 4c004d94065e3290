using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// The path of specs without a score mod, for tiles of many rows or of rows that fill whole vectors: the scores are
/// computed transposed, one key per row and one query per column, so that the key and value tiles serve as the
/// products' broadcast operand read in place (no transposed key tile, no value copy) and the softmax's max and sum are
/// vertical, lane by lane, with no reduction across lanes per row and key tile. The queries are transposed once per
/// item and the output once at its end; a tile the mask cuts through is transposed to rows and back, so that it meets
/// the spec's row-wise mask forms unchanged.
/// </summary>
internal unsafe partial struct AttentionTileWork<T, TMods, TSimd>
{
    /// <summary>
    /// From this many tile rows a spec without a score mod runs by columns; fewer do only when they fill whole vectors
    /// (<see cref="FewRowsByColumns"/>).
    /// </summary>
    private const int ColumnSoftmaxRowMinimum = 32;

    /// <summary>
    /// How far, in base-2 units, a column's scores may rise above its running max before the max moves. A lagging max
    /// keeps every power of two at most 2^8, far from float's range, and spares the rescaling of the output columns on
    /// all but the few key tiles that raise some query's max by more than that.
    /// </summary>
    private const float MaxLag = 8f;

    /// <summary>The keys of one step of <see cref="TransposedScores"/>: one block of the product's eight-row kernels.</summary>
    private const int KeysPerScoreStep = 8;

    /// <summary>
    /// The parts into which <see cref="TransposedScores"/> cuts the head dim of each eight-key block, one prefetch burst
    /// per part. Measured when two positions still took this path (it now serves items of three vectors of rows):
    /// GQA 8:1 at two positions (16 rows), D=128, K and V in DRAM, 2-core Zen 3: the next tile's keys and
    /// values asked for in 4 parts of the score product (32 lines per burst) read 7.3 GB/s on 1 thread and 14.5–14.8 on
    /// 2, against 6.8–6.9 and 13.7–13.8 with keys in 2 parts and values among the value product's strips, and 6.3–6.4
    /// and 12.6–12.8 in one burst per block.
    /// </summary>
    private const int ScoreDepthParts = 4;

    /// <summary>
    /// Whether an item of fewer than <see cref="ColumnSoftmaxRowMinimum"/> rows runs by columns: when its rows fill whole
    /// vectors, and for bf16 and fp16 only when they are too many for the dot products. H=32/KvH=4, D=128, 2-core Zen 3,
    /// against the row path: 16 rows (GQA 8:1 decoding two positions, where the row path transposed every key tile and
    /// prefetched nothing) at KV=32768 (128 MiB, DRAM), fp32 5.3 → 7.9 GB/s on 1 thread and 10.5 → 15.0–15.8 on 2, bf16
    /// +17%, fp16 +10%; fp32 8 rows (one position) against the dot products, +7–9% at KV=32768 and +10–12% at KV=4096.
    /// bf16 rows of a dot-product tile are read in place there (7.1 GB/s against 5.5 converted per tile for the columns,
    /// under an earlier prefetch schedule), and fp16 measured 2% slower by columns.
    /// </summary>
    private static bool FewRowsByColumns(int rows) =>
        rows % TSimd.Count == 0 && (typeof(T) == typeof(float) || rows >= DotProductRowLimit);

    /// <summary>Streams key tiles [<paramref name="firstKeyTile"/>, <paramref name="endKeyTile"/>) of one item without a score mod, with transposed scores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ItemRows AccumulateByColumns(ItemCoordinates at, int firstKeyTile, int endKeyTile, float* scratch)
    {
        int batch = at.Batch;
        int kvHead = _shape.KvHeadOf(at.FirstHead);
        int headDim = _shape.HeadDim;
        int valueDim = _shape.ValueDim;
        int tileKV = _plan.TileKV;
        int rows = at.Rows;
        int lanes = (rows + TSimd.Count - 1) / TSimd.Count * TSimd.Count;
        int lanesOfPlan = _plan.QueryLanes;

        // An item of few rows (decoding's) does little arithmetic per byte of key and value: it prefetches the next key
        // tile among its score products, and its output accumulates by rows, p·v with p read from the transposed scores,
        // whose blocks take fewer loads per FMA than vᵀ·pᵀ's one-vector blocks. An item of one or two vectors of rows
        // (GQA 8:1 decoding one or two positions on 256-bit vectors) computes its scores two keys at a time, which the
        // hardware prefetchers can follow (ISimdKernels.KeyPairScores). 2-core Zen 3, H=32/KvH=4 D=128, fp32, against
        // eight keys at a time: one position (8 alternated rounds), KV=4096 (in L3) 5–10% faster on 1 thread, KV=32768
        // even while the machine ran at its usual pace and 10–40% faster on 1 and 2 threads while it read DRAM more
        // slowly; two positions (4 rounds), KV=32768 3–15% faster on 1 thread and 5–12% on 2 in the quiet rounds, KV=4096
        // 6–8% on 1. Each such item asks for the next tile a line at a time, spread over its steps rather than in bursts;
        // an item of one vector asks for the values during its value product (ISimdKernels.AccumulateValues), so that the
        // requests go out evenly over the whole tile: one position at KV=32768, 6.7–7.7 GB/s before either change, 9.8–11.7
        // after both on 1 thread and 15.4–20.4 against 10.5–14.0 on 2 (5 alternated rounds).
        bool fewRows = rows < ColumnSoftmaxRowMinimum;

        float* queriesTransposed = scratch;
        float* scoresTransposed = queriesTransposed + TilePlan.ScratchPart(headDim * lanesOfPlan);
        float* outputTransposed = scoresTransposed + TilePlan.ScratchPart(tileKV * lanesOfPlan);
        float* keyTile = outputTransposed + TilePlan.ScratchPart(valueDim * lanesOfPlan);
        float* valueTile = keyTile + TilePlan.ScratchPart(tileKV * headDim);
        float* rowMajor = valueTile + TilePlan.ScratchPart(tileKV * valueDim);
        float* runningMax = rowMajor + TilePlan.ScratchPart(_plan.TileRows * Math.Max(headDim, TransposedKeyTile.PaddedColumns(valueDim)));
        float* runningSum = runningMax + lanesOfPlan;
        float* tileMax = runningSum + lanesOfPlan;
        float* correction = tileMax + lanesOfPlan;
        float* rowScores = correction + lanesOfPlan;

        LoadScaledQueries(at, rowMajor);
        TransposedKeyTile.Pack(rowMajor, headDim, rows, headDim, queriesTransposed, lanes);
        new Span<float>(fewRows ? rowMajor : outputTransposed, valueDim * (fewRows ? rows : lanes)).Clear();
        new Span<float>(runningMax, lanes).Fill(float.NegativeInfinity);
        new Span<float>(runningSum, lanes).Clear();

        int qFirst = at.FirstPosition + _shape.QueryPositionOffset;
        int qLast = qFirst + at.Positions - 1;
        bool started = false;
        for (int keyTileIndex = firstKeyTile; keyTileIndex < endKeyTile; keyTileIndex++)
        {
            int kv0 = keyTileIndex * tileKV;
            int keys = Math.Min(tileKV, _shape.SeqKV - kv0);
            TileClass tileClass = Classify(batch, at.FirstHead, at.QueryTile, keyTileIndex, qFirst, qLast, kv0, kv0 + keys - 1);
            if (tileClass == TileClass.Empty)
            {
                continue;
            }

            float* keyRows = LoadRows(_key, batch, kvHead, kv0, keys, headDim, keyTile, out nint keyStride, copyFloats: false);
            float* valueRows = LoadRows(_value, batch, kvHead, kv0, keys, valueDim, valueTile, out nint valueStride, copyFloats: false);

            // sᵀ[j, q] = Σ_d k[j, d] · qᵀ[d, q]: the keys broadcast, the queries are the vectors.
            bool keyPairs = fewRows && lanes <= 2 * TSimd.Count;
            NextKeyTile next = fewRows ? Next(batch, kvHead, keyTileIndex + 1, endKeyTile) : NextKeyTile.None;
            if (keyPairs)
            {
                TSimd.KeyPairScores(keyRows, keyStride, keys, headDim, queriesTransposed, lanes, scoresTransposed, next);
            }
            else if (fewRows)
            {
                TransposedScores(keyRows, keyStride, keys, headDim, queriesTransposed, lanes, scoresTransposed, next);
            }
            else
            {
                TSimd.MultiplyAdd(keyRows, keyStride, 1, keys, headDim, queriesTransposed, lanes, lanes, scoresTransposed, lanes, accumulate: false);
            }

            if (TMods.HasMaskMod && tileClass == TileClass.Partial)
            {
                int scoreStride = _plan.ScoreStride;
                TransposedKeyTile.Pack(scoresTransposed, lanes, keys, rows, rowScores, scoreStride);
                ApplyMods(batch, at.FirstHead, at.Positions, qFirst, kv0, rows, keys, rowScores, evaluateMask: true);
                TransposedKeyTile.Pack(rowScores, scoreStride, rows, keys, scoresTransposed, lanes);
            }

            TSimd.ColumnMax(scoresTransposed, lanes, keys, lanes, tileMax);
            if (RaiseLaggingMaxima(tileMax, runningMax, runningSum, correction, lanes) && started)
            {
                if (fewRows)
                {
                    for (int r = 0; r < rows; r++)
                    {
                        var row = new Span<float>(rowMajor + (r * valueDim), valueDim);
                        TensorPrimitives.Multiply(row, correction[r], row);
                    }
                }
                else
                {
                    for (int d = 0; d < valueDim; d++)
                    {
                        var column = new Span<float>(outputTransposed + (d * lanes), lanes);
                        TensorPrimitives.Multiply(column, new ReadOnlySpan<float>(correction, lanes), column);
                    }
                }
            }

            started = true;
            TSimd.Exponentiate2ColumnsAndSum(scoresTransposed, lanes, keys, lanes, runningMax, runningSum);

            if (keyPairs && lanes == TSimd.Count)
            {
                TSimd.AccumulateValues(scoresTransposed, 1, lanes, rows, keys, valueRows, valueStride, valueDim, rowMajor, next);
            }
            else if (fewRows)
            {
                // o[q, e] += Σ_j pᵀ[j, q] · v[j, e]: the transposed scores read as a column-major left operand.
                TSimd.MultiplyAdd(scoresTransposed, 1, lanes, rows, keys, valueRows, valueStride, valueDim, rowMajor, valueDim, accumulate: true);
            }
            else
            {
                // oᵀ[e, q] += Σ_j v[j, e] · pᵀ[j, q]: the value tile read in place as a column-major left operand.
                TSimd.MultiplyAdd(valueRows, 1, valueStride, valueDim, keys, scoresTransposed, lanes, lanes, outputTransposed, lanes, accumulate: true);
            }
        }

        if (fewRows)
        {
            return new ItemRows(at, rowMajor, valueDim, runningMax, runningSum);
        }

        int accumulatorStride = TransposedKeyTile.PaddedColumns(valueDim);
        TransposedKeyTile.Pack(outputTransposed, lanes, valueDim, rows, rowMajor, accumulatorStride);
        return new ItemRows(at, rowMajor, accumulatorStride, runningMax, runningSum);
    }

    /// <summary>
    /// Computes sᵀ = k·qᵀ in steps of eight keys by a quarter of the head dim, each step asking for its share of the next
    /// tile's key and value rows, so that the requests go out in small bursts spread over the product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedScores(float* keyRows, nint keyStride, int keys, int headDim, float* queriesTransposed, int lanes, float* scoresTransposed, in NextKeyTile next)
    {
        int depthPart = (headDim + ScoreDepthParts - 1) / ScoreDepthParts;
        int steps = (keys + KeysPerScoreStep - 1) / KeysPerScoreStep * ((headDim + depthPart - 1) / depthPart);
        int rowsPerStep = (keys + steps - 1) / steps;
        int step = 0;
        for (int j = 0; j < keys; j += KeysPerScoreStep)
        {
            for (int d = 0; d < headDim; d += depthPart, step++)
            {
                next.Prefetch(step * rowsPerStep, rowsPerStep);
                TSimd.MultiplyAdd(
                    keyRows + (j * keyStride) + d, keyStride, 1, Math.Min(KeysPerScoreStep, keys - j), Math.Min(depthPart, headDim - d),
                    queriesTransposed + (d * lanes), lanes, lanes, scoresTransposed + (j * lanes), lanes, accumulate: d > 0);
            }
        }
    }

    /// <summary>
    /// Moves the running max of each column whose tile max passed it by more than <see cref="MaxLag"/>, rescales that
    /// column's sum and writes its correction factor (1 for the others).
    /// </summary>
    /// <returns>Whether any column moved.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool RaiseLaggingMaxima(float* tileMax, float* runningMax, float* runningSum, float* correction, int lanes)
    {
        bool moved = false;
        for (int q = 0; q < lanes; q++)
        {
            float previous = runningMax[q];
            float factor = 1f;
            if (tileMax[q] > previous + MaxLag)
            {
                factor = float.Exp2(previous - tileMax[q]);
                runningSum[q] *= factor;
                runningMax[q] = tileMax[q];
                moved = true;
            }

            correction[q] = factor;
        }

        return moved;
    }
}
