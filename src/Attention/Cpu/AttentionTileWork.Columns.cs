using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// The path of specs without a score mod: the scores are computed transposed, one key per row and one query per column,
/// so that the key and value tiles serve as the products' broadcast operand read in place (no transposed key tile, no
/// value copy) and the softmax's max and sum are vertical, lane by lane, with no reduction across lanes per row and key
/// tile. The queries are transposed once per item and the output once at its end; a tile the mask cuts through is
/// transposed to rows and back, so that it meets the spec's row-wise mask forms unchanged.
/// </summary>
internal unsafe partial struct AttentionTileWork<T, TMods, TSimd>
{
    /// <summary>From this many tile rows a spec without a score mod runs by columns; fewer would leave most of each vector idle.</summary>
    private const int ColumnSoftmaxRowMinimum = 32;

    /// <summary>
    /// How far, in base-2 units, a column's scores may rise above its running max before the max moves. A lagging max
    /// keeps every power of two at most 2^8, far from float's range, and spares the rescaling of the output columns on
    /// all but the few key tiles that raise some query's max by more than that.
    /// </summary>
    private const float MaxLag = 8f;

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
        int lanes = TransposedKeyTile.PaddedColumns(rows);
        int lanesOfPlan = _plan.QueryLanes;

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
        new Span<float>(outputTransposed, valueDim * lanes).Clear();
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
            TSimd.MultiplyAdd(keyRows, keyStride, 1, keys, headDim, queriesTransposed, lanes, lanes, scoresTransposed, lanes, accumulate: false);
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
                for (int d = 0; d < valueDim; d++)
                {
                    var column = new Span<float>(outputTransposed + (d * lanes), lanes);
                    TensorPrimitives.Multiply(column, new ReadOnlySpan<float>(correction, lanes), column);
                }
            }

            started = true;
            TSimd.Exponentiate2ColumnsAndSum(scoresTransposed, lanes, keys, lanes, runningMax, runningSum);

            // oᵀ[e, q] += Σ_j v[j, e] · pᵀ[j, q]: the value tile read in place as a column-major left operand.
            TSimd.MultiplyAdd(valueRows, 1, valueStride, valueDim, keys, scoresTransposed, lanes, lanes, outputTransposed, lanes, accumulate: true);
        }

        int accumulatorStride = TransposedKeyTile.PaddedColumns(valueDim);
        TransposedKeyTile.Pack(outputTransposed, lanes, valueDim, rows, rowMajor, accumulatorStride);
        return new ItemRows(at, rowMajor, accumulatorStride, runningMax, runningSum);
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
