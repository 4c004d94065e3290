using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// One CPU forward call, cut into work items of one (batch, group of query heads sharing a key/value head, query tile)
/// each. An item streams the key tiles through an online softmax (running max and sum, float accumulation) and writes
/// its output rows and log-sum-exp; the score matrix never exists beyond one tile. Items of a spec without a score mod
/// run by columns (AttentionTileWork.Columns.cs) when they hold 32 rows or more, or rows that fill whole vectors; the
/// others, decoding's fewest rows above all, by rows. Items share nothing they write, so any number run concurrently.
/// The per-tile methods here, in <see cref="SimdMicroKernels{TLanes, TVector}"/> and in <see cref="TransposedKeyTile"/>
/// are compiled fully optimized at their first call: under tiered compilation a call's first runs took tier-0 code
/// (causal S=512 on 2 threads: 100–140 ms for each of the first four calls against 5 ms), and a process limited to one
/// CPU kept that code for seconds, its background JIT starved by the busy caller.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TMods">The spec's mod struct.</typeparam>
/// <typeparam name="TSimd">The micro-kernels of the vector width in use.</typeparam>
internal unsafe partial struct AttentionTileWork<T, TMods, TSimd>
    where T : unmanaged
    where TMods : struct, IAttentionMods
    where TSimd : ISimdKernels
{
    /// <summary>
    /// Below this many tile rows (decoding's, GQA 8:1 below two positions) the scores are dot products (see
    /// <see cref="ISimdKernels.RowDotProducts"/>), bf16 keys and values are read in place, and on 512-bit vectors so are
    /// fp32 values. Against the transposed product on the Xeon, 3 interleaved rounds: 8 rows 1.4–1.9× on 1 thread and
    /// 1.3× on 16; 16 rows no better; 24 rows 0.9× on 16 threads.
    /// </summary>
    private const int DotProductRowLimit = 16;

    private readonly StridedRows<T> _query;
    private readonly StridedRows<T> _key;
    private readonly StridedRows<T> _value;
    private readonly StridedRows<T> _output;
    private readonly float* _logSumExp;
    private readonly AttentionShape _shape;
    private readonly TilePlan _plan;
    private readonly float _scale;
    private readonly RuntimeTileMap? _tileMap;
    private TMods _mods;

    /// <summary>Captures everything an item needs; the pointers stay pinned by the caller until every item has run.</summary>
    /// <param name="query">The pinned query.</param>
    /// <param name="key">The pinned key.</param>
    /// <param name="value">The pinned value.</param>
    /// <param name="output">The pinned output.</param>
    /// <param name="logSumExp">The pinned [batch, heads, seqQ] log-sum-exp output, or null.</param>
    /// <param name="shape">The call's sizes.</param>
    /// <param name="plan">The tiling.</param>
    /// <param name="scale">The factor applied to q·k.</param>
    /// <param name="tileMap">The run-time tile map, when the mask has no static classification or too coarse a one; null otherwise.</param>
    /// <param name="mods">The mods with their captures.</param>
    public AttentionTileWork(
        StridedRows<T> query,
        StridedRows<T> key,
        StridedRows<T> value,
        StridedRows<T> output,
        float* logSumExp,
        AttentionShape shape,
        TilePlan plan,
        float scale,
        RuntimeTileMap? tileMap,
        in TMods mods)
    {
        _query = query;
        _key = key;
        _value = value;
        _output = output;
        _logSumExp = logSumExp;
        _shape = shape;
        _plan = plan;
        _scale = scale;
        _tileMap = tileMap;
        _mods = mods;
    }

    /// <summary>Gets the number of work items: batch × head groups × query tiles.</summary>
    public readonly int ItemCount => checked(_shape.Batch * (_shape.Heads / _plan.HeadsPerTile) * _plan.TilesQ);

    /// <summary>Runs one (batch, head group, query tile). Tile row r is position r mod positions of head r div positions.</summary>
    /// <param name="item">The item index, query tile fastest so that neighbouring items share keys and values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int item)
    {
        using CpuScratch.Lease scratch = CpuScratch.Rent(_plan.ScratchFloats(_shape));
        ItemRows rows = Accumulate(item, 0, _plan.TilesKV, scratch.Pointer);
        WriteRows(rows);
    }

    /// <summary>
    /// Runs the key tiles of one share of an item's key range and writes, per tile row, the output normalized over that
    /// share alone and its log-sum-exp, for <see cref="MergePartials"/> to combine: the decode path, where a few
    /// queries meet a long key range and the threads must split the keys to find work.
    /// </summary>
    /// <param name="item">The item index.</param>
    /// <param name="split">Which share of the key tiles, from 0.</param>
    /// <param name="partials">The call's partial buffer; see <see cref="KeySplitPlan"/> for its layout.</param>
    /// <param name="splitPlan">How the key tiles are shared.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunPartial(int item, int split, float* partials, KeySplitPlan splitPlan)
    {
        using CpuScratch.Lease scratch = CpuScratch.Rent(_plan.ScratchFloats(_shape));
        ItemRows rows = Accumulate(item, splitPlan.FirstKeyTile(split, _plan.TilesKV), splitPlan.FirstKeyTile(split + 1, _plan.TilesKV), scratch.Pointer);
        int valueDim = _shape.ValueDim;
        float* partialOutput = splitPlan.Output(partials, item, split);
        float* partialLogSumExp = splitPlan.LogSumExp(partials, item, split);
        for (int r = 0; r < rows.Count; r++)
        {
            float* accumulator = rows.Accumulators + (r * rows.AccumulatorStride);
            float* destination = partialOutput + (r * valueDim);
            if (rows.Max[r] == float.NegativeInfinity)
            {
                new Span<float>(destination, valueDim).Clear();
                partialLogSumExp[r] = float.NegativeInfinity;
            }
            else
            {
                TensorPrimitives.Divide(new ReadOnlySpan<float>(accumulator, valueDim), rows.Sum[r], new Span<float>(destination, valueDim));
                partialLogSumExp[r] = NaturalLogSumExp(rows.Max[r], rows.Sum[r]);
            }
        }
    }

    /// <summary>
    /// Combines the shares of one item written by <see cref="RunPartial"/>: each share weighs exp(its log-sum-exp − the
    /// largest), which rescales every share to one common max exactly as the online softmax does between key tiles.
    /// </summary>
    /// <param name="item">The item index.</param>
    /// <param name="partials">The call's partial buffer.</param>
    /// <param name="splitPlan">How the key tiles were shared.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly void MergePartials(int item, float* partials, KeySplitPlan splitPlan)
    {
        ItemCoordinates at = Locate(item);
        int valueDim = _shape.ValueDim;
        using CpuScratch.Lease scratch = CpuScratch.Rent(valueDim);
        float* merged = scratch.Pointer;
        var mergedRow = new Span<float>(merged, valueDim);
        for (int r = 0; r < at.Rows; r++)
        {
            float max = float.NegativeInfinity;
            for (int split = 0; split < splitPlan.Splits; split++)
            {
                max = MathF.Max(max, splitPlan.LogSumExp(partials, item, split)[r]);
            }

            float logSumExp = float.NegativeInfinity;
            mergedRow.Clear();
            if (max != float.NegativeInfinity)
            {
                float total = 0f;
                for (int split = 0; split < splitPlan.Splits; split++)
                {
                    float weight = MathF.Exp(splitPlan.LogSumExp(partials, item, split)[r] - max);
                    if (weight != 0f)
                    {
                        var share = new ReadOnlySpan<float>(splitPlan.Output(partials, item, split) + (r * valueDim), valueDim);
                        TensorPrimitives.MultiplyAdd(share, weight, mergedRow, mergedRow);
                        total += weight;
                    }
                }

                TensorPrimitives.Divide(mergedRow, total, mergedRow);
                logSumExp = max + MathF.Log(total);
            }

            WriteRow(at.Batch, at.FirstHead + (r / at.Positions), at.FirstPosition + (r % at.Positions), merged, logSumExp);
        }
    }

    /// <summary>Streams key tiles [<paramref name="firstKeyTile"/>, <paramref name="endKeyTile"/>) of one item through the online softmax.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ItemRows Accumulate(int item, int firstKeyTile, int endKeyTile, float* scratch)
    {
        ItemCoordinates at = Locate(item);
        if (!TMods.HasScoreMod && (at.Rows >= ColumnSoftmaxRowMinimum || FewRowsByColumns(at.Rows)))
        {
            return AccumulateByColumns(at, firstKeyTile, endKeyTile, scratch);
        }

        int batch = at.Batch;
        int firstHead = at.FirstHead;
        int kvHead = _shape.KvHeadOf(firstHead);
        int headDim = _shape.HeadDim;
        int valueDim = _shape.ValueDim;
        int tileRows = _plan.TileRows;
        int tileKV = _plan.TileKV;
        int q0 = at.FirstPosition;
        int positions = at.Positions;
        int rows = at.Rows;

        float* queries = scratch;
        float* keyTile = queries + TilePlan.ScratchPart(tileRows * headDim);
        int scoreStride = _plan.ScoreStride;
        float* keysTransposed = keyTile + TilePlan.ScratchPart(tileKV * headDim);
        float* valueTile = keysTransposed + TilePlan.ScratchPart(headDim * scoreStride);
        float* scores = valueTile + TilePlan.ScratchPart(tileKV * valueDim);
        float* accumulators = scores + TilePlan.ScratchPart(tileRows * scoreStride);
        float* rowMax = accumulators + TilePlan.ScratchPart(tileRows * valueDim);
        float* rowSum = rowMax + tileRows;

        // fp32 keys are read in place: the product transposes them or reads them once as dot products. fp32 values are
        // copied, so that the product's loads start on the scratch's 64-byte lines, except by dot-product tiles on
        // 512-bit vectors: their product reads each value row once or twice in 256-byte strips, and a copy only added a
        // pass over memory (MHA decode, Xeon, 1 thread: +17%). The 256-bit product reads one 64-byte line of each value
        // row per strip; there the copy's single sequential pass won (MHA decode, 2-core Zen 3: 1.3-1.9x; GQA even).
        //
        // bf16 rows of a dot-product tile are read in place too, widened to floats in registers as the kernels load
        // them, where a conversion pass over each tile cost a load and a store per element (bf16 GQA 8:1 decode:
        // 1.2x on the 2-core Zen 3, 1.3x on one Xeon core and 1.2x on 16). Their kernels take two bf16 values per 32-bit
        // word (a shift and a mask), which pairs each block of features as evens then odds: the queries are paired to
        // match once per item, and the accumulators, paired by the value product, are put back in order at its end.
        bool dotProducts = rows < DotProductRowLimit;
        bool bfloat16InPlace = dotProducts && typeof(T) == typeof(BFloat16);
        LoadScaledQueries(at, queries);
        if (bfloat16InPlace)
        {
            TSimd.PairBFloat16Features(queries, headDim, rows, headDim);
        }

        new Span<float>(accumulators, rows * valueDim).Clear();
        new Span<float>(rowMax, rows).Fill(float.NegativeInfinity);
        new Span<float>(rowSum, rows).Clear();

        int qFirst = q0 + _shape.QueryPositionOffset;
        int qLast = qFirst + positions - 1;
        for (int keyTileIndex = firstKeyTile; keyTileIndex < endKeyTile; keyTileIndex++)
        {
            int kv0 = keyTileIndex * tileKV;
            int keys = Math.Min(tileKV, _shape.SeqKV - kv0);
            TileClass tileClass = Classify(batch, firstHead, at.QueryTile, keyTileIndex, qFirst, qLast, kv0, kv0 + keys - 1);
            if (tileClass == TileClass.Empty)
            {
                continue;
            }

            nint keyStride = _key.RowStride, valueStride = _value.RowStride;
            float* keyRows = bfloat16InPlace ? null : LoadRows(_key, batch, kvHead, kv0, keys, headDim, keyTile, out keyStride, copyFloats: false);
            float* valueRows = bfloat16InPlace ? null : LoadRows(_value, batch, kvHead, kv0, keys, valueDim, valueTile, out valueStride, copyFloats: !dotProducts || typeof(TSimd) != typeof(Vector512Kernels));

            // Float value rows (fp32, or fp16 converted per tile) of four rows or more are read by AccumulateValues, which
            // asks for the next tile's values while the dot products ask only for its keys: the requests go out over both
            // products. Against both asked for in the dot products, 2-core Zen 3, KV in DRAM, an in-process switch, 8
            // rounds twice: GQA 4:1 fp32 (H=32/KvH=8) 8.3 and 7.4 → 9.6 and 8.7 GB/s on 1 thread, 14.3 and 14.7 → 17.4 and
            // 17.1 on 2 (KV=2048, in L3: even); fp16 GQA 8:1 +36% once and even once. Fewer rows keep the old schedule:
            // MHA measured +10% once and even once, GQA 2:1 +2–3%. So do 512-bit vectors, whose dot products read fp32
            // values in place: on the Xeon's 16 threads fp32 GQA 8:1 read 6% less (GFLOP/s 391 434 401 → 377 328 399,
            // KV=4096 399 390 407 → 382 370 375), where it already reads above 90% of its probe.
            bool valuesAhead = dotProducts && !bfloat16InPlace && rows >= 4 && typeof(TSimd) == typeof(Vector256Kernels);
            NextKeyTile next = dotProducts ? Next(batch, kvHead, keyTileIndex + 1, endKeyTile) : NextKeyTile.None;
            if (dotProducts)
            {
                NextKeyTile asked = valuesAhead ? next.KeysOnly : next;
                if (bfloat16InPlace)
                {
                    TSimd.RowDotProducts(queries, headDim, rows, (BFloat16*)_key.Row(batch, kvHead, kv0), keyStride, keys, headDim, scores, scoreStride, asked);
                }
                else
                {
                    TSimd.RowDotProducts(queries, headDim, rows, keyRows, keyStride, keys, headDim, scores, scoreStride, asked);
                }
            }
            else
            {
                TransposedKeyTile.Pack(keyRows, keyStride, keys, headDim, keysTransposed, scoreStride);
                TSimd.MultiplyAdd(queries, headDim, 1, rows, headDim, keysTransposed, scoreStride, TransposedKeyTile.PaddedColumns(keys), scores, scoreStride, accumulate: false);
            }

            bool evaluateMask = TMods.HasMaskMod && tileClass == TileClass.Partial;
            if (TMods.HasScoreMod || evaluateMask)
            {
                ApplyMods(batch, firstHead, positions, qFirst, kv0, rows, keys, scores, evaluateMask);
            }

            for (int r = 0; r < rows; r++)
            {
                UpdateSoftmaxRow(scores + (r * scoreStride), keys, accumulators + (r * valueDim), rowMax + r, rowSum + r);
            }

            if (bfloat16InPlace)
            {
                TSimd.MultiplyAdd(scores, scoreStride, 1, rows, keys, (BFloat16*)_value.Row(batch, kvHead, kv0), valueStride, valueDim, accumulators, valueDim, accumulate: true);
            }
            else if (valuesAhead)
            {
                TSimd.AccumulateValues(scores, scoreStride, 1, rows, keys, valueRows, valueStride, valueDim, accumulators, next);
            }
            else
            {
                TSimd.MultiplyAdd(scores, scoreStride, 1, rows, keys, valueRows, valueStride, valueDim, accumulators, valueDim, accumulate: true);
            }
        }

        if (bfloat16InPlace)
        {
            TSimd.UnpairBFloat16Features(accumulators, valueDim, rows, valueDim);
        }

        return new ItemRows(at, accumulators, valueDim, rowMax, rowSum);
    }

    /// <summary>Writes an item's query rows as floats, [rows × headDim], multiplied by the scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly void LoadScaledQueries(ItemCoordinates at, float* queries)
    {
        int headDim = _shape.HeadDim;
        for (int r = 0; r < at.Rows; r++)
        {
            ElementConversion.ToSingle(_query.Row(at.Batch, at.FirstHead + (r / at.Positions), at.FirstPosition + (r % at.Positions)), queries + (r * headDim), headDim);
        }

        // Scaling the query once per tile instead of every score. The softmax runs in base 2, so without a score mod the
        // scale takes log2(e) along; a score mod still sees q·k·scale, and ApplyMods converts its results.
        var scaledQueries = new Span<float>(queries, at.Rows * headDim);
        TensorPrimitives.Multiply(scaledQueries, TMods.HasScoreMod ? _scale : _scale * FastExp.Log2E, scaledQueries);
    }

    private readonly ItemCoordinates Locate(int item)
    {
        int headGroups = _shape.Heads / _plan.HeadsPerTile;
        // Threads take items in order, so each head's last query tiles go first: under causal-style masks they hold the
        // most keys, and the light ones fill the tail (measured on the Xeon, 16 threads: causal fp32 S=2048 +7-12%).
        int queryTile = _plan.TilesQ - 1 - (item % _plan.TilesQ);
        int batchGroup = item / _plan.TilesQ;
        int q0 = queryTile * _plan.TileQ;
        int positions = Math.Min(_plan.TileQ, _shape.SeqQ - q0);
        return new ItemCoordinates(batchGroup / headGroups, (batchGroup % headGroups) * _plan.HeadsPerTile, queryTile, q0, positions, positions * _plan.HeadsPerTile);
    }

    /// <summary>Classifies a tile for every head it holds: Empty or Full only when it is so for each of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TileClass Classify(int batch, int firstHead, int queryTile, int keyTile, int qFirst, int qLast, int kvFirst, int kvLast)
    {
        if (!TMods.HasMaskMod)
        {
            return TileClass.Full;
        }

        TileClass tileClass = ClassifyForHead(batch, firstHead, queryTile, keyTile, qFirst, qLast, kvFirst, kvLast);
        if (TMods.MaskDependsOnHead)
        {
            for (int head = firstHead + 1; head < firstHead + _plan.HeadsPerTile && tileClass != TileClass.Partial; head++)
            {
                if (ClassifyForHead(batch, head, queryTile, keyTile, qFirst, qLast, kvFirst, kvLast) != tileClass)
                {
                    tileClass = TileClass.Partial;
                }
            }
        }

        return tileClass;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TileClass ClassifyForHead(int batch, int head, int queryTile, int keyTile, int qFirst, int qLast, int kvFirst, int kvLast) =>
        _tileMap is { } map
            ? map.Get(batch, head, queryTile, keyTile)
            : _mods.TryClassifyTile(batch, head, qFirst, qLast, kvFirst, kvLast);

    /// <summary>Describes key tile <paramref name="keyTile"/> in the source tensors, or none past <paramref name="endKeyTile"/>.</summary>
    private readonly NextKeyTile Next(int batch, int kvHead, int keyTile, int endKeyTile)
    {
        if (keyTile >= endKeyTile)
        {
            return NextKeyTile.None;
        }

        int kv0 = keyTile * _plan.TileKV;
        int size = sizeof(T);
        return new NextKeyTile(
            (byte*)_key.Row(batch, kvHead, kv0), _key.RowStride * size, _shape.HeadDim * size,
            (byte*)_value.Row(batch, kvHead, kv0), _value.RowStride * size, _shape.ValueDim * size,
            Math.Min(_plan.TileKV, _shape.SeqKV - kv0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* LoadRows(StridedRows<T> source, int batch, int head, int first, int count, int dim, float* tile, out nint stride, bool copyFloats)
    {
        if (typeof(T) == typeof(float) && !copyFloats)
        {
            // fp32 rows read in place: the tensor's row stride is the tile's stride.
            stride = source.RowStride;
            return (float*)source.Row(batch, head, first);
        }

        stride = dim;
        if (source.RowStride == dim)
        {
            // Rows that follow each other convert in one call: fp16 decoding (rows of 128 halves) ran 7–12% faster than
            // with one call per row.
            ElementConversion.ToSingle(source.Row(batch, head, first), tile, count * dim);
            return tile;
        }

        for (int r = 0; r < count; r++)
        {
            ElementConversion.ToSingle(source.Row(batch, head, first + r), tile + (r * dim), dim);
        }

        return tile;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyMods(int batch, int firstHead, int positions, int qFirst, int kv0, int rows, int keys, float* scores, bool evaluateMask)
    {
        // A scalar score mod runs only on kept pairs, as it always has; a vector one runs on the whole row before the mask,
        // which gives the same scores because the generator vectorizes only mods that cannot throw or have effects.
        if (TMods.HasScoreMod && !TMods.HasVectorScore)
        {
            ApplyModsPerScore(batch, firstHead, positions, qFirst, kv0, rows, keys, scores, evaluateMask);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            int head = firstHead + (r / positions);
            int q = qFirst + (r % positions);
            var row = new Span<float>(scores + (r * _plan.ScoreStride), keys);
            if (TMods.HasScoreMod)
            {
                ScoreRow(row, batch, head, q, kv0);
                TensorPrimitives.Multiply(row, FastExp.Log2E, row);
            }

            if (evaluateMask && !TMods.HasVectorMask)
            {
                MaskPerPair(row, batch, head, q, kv0);
            }
            else if (evaluateMask)
            {
                MaskRow(row, batch, head, q, kv0);
            }
        }
    }

    // The interface's default row methods would box the mods struct on every call: without a vector form, mask here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly void MaskPerPair(Span<float> row, int batch, int head, int q, int kv0)
    {
        for (int j = 0; j < row.Length; j++)
        {
            if (!_mods.Mask(batch, head, q, kv0 + j))
            {
                row[j] = float.NegativeInfinity;
            }
        }
    }

    // The row forms of the kernel's own width; both compute the same lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ScoreRow(Span<float> row, int batch, int head, int q, int kvFirst)
    {
        if (typeof(TSimd) == typeof(Vector512Kernels))
        {
            _mods.ScoreRow512(row, batch, head, q, kvFirst);
        }
        else
        {
            _mods.ScoreRow256(row, batch, head, q, kvFirst);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MaskRow(Span<float> row, int batch, int head, int q, int kvFirst)
    {
        if (typeof(TSimd) == typeof(Vector512Kernels))
        {
            _mods.MaskRow512(row, batch, head, q, kvFirst);
        }
        else
        {
            _mods.MaskRow256(row, batch, head, q, kvFirst);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ApplyModsPerScore(int batch, int firstHead, int positions, int qFirst, int kv0, int rows, int keys, float* scores, bool evaluateMask)
    {
        for (int r = 0; r < rows; r++)
        {
            int head = firstHead + (r / positions);
            int q = qFirst + (r % positions);
            float* row = scores + (r * _plan.ScoreStride);
            for (int j = 0; j < keys; j++)
            {
                int kv = kv0 + j;
                if (evaluateMask && !_mods.Mask(batch, head, q, kv))
                {
                    row[j] = float.NegativeInfinity;
                }
                else if (TMods.HasScoreMod)
                {
                    row[j] = _mods.Score(row[j], batch, head, q, kv) * FastExp.Log2E;
                }
            }
        }
    }

    /// <summary>
    /// Turns one row of base-2 scores into weights 2^(score − running max) in place, and rescales the row's running sum
    /// and accumulator to the new max.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly void UpdateSoftmaxRow(float* scores, int keys, float* accumulator, float* runningMax, float* runningSum)
    {
        var row = new Span<float>(scores, keys);
        float previousMax = *runningMax;
        float max = MathF.Max(previousMax, TSimd.RowMax(scores, keys));
        if (max == float.NegativeInfinity)
        {
            // Every key so far is masked: 2^(-inf - -inf) would be NaN, and the row must add nothing.
            row.Clear();
            return;
        }

        // Once the first tiles have set it, the running max rarely moves: skip the scalar exp, whose result would be 1.
        float correction = max == previousMax ? 1f : float.Exp2(previousMax - max);
        *runningSum = (*runningSum * correction) + TSimd.Exponentiate2AndSum(scores, keys, max);
        *runningMax = max;
        if (correction != 1f)
        {
            var accumulated = new Span<float>(accumulator, _shape.ValueDim);
            TensorPrimitives.Multiply(accumulated, correction, accumulated);
        }
    }

    /// <summary>Returns ln Σ e^s of a row from its base-2 running max and the sum of 2^(s·log2 e − max).</summary>
    private static float NaturalLogSumExp(float max, float sum) => (max + MathF.Log2(sum)) * FastExp.Ln2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly void WriteRows(ItemRows rows)
    {
        int valueDim = _shape.ValueDim;
        ItemCoordinates at = rows.At;
        for (int r = 0; r < rows.Count; r++)
        {
            float* accumulator = rows.Accumulators + (r * rows.AccumulatorStride);
            var accumulated = new Span<float>(accumulator, valueDim);
            float logSumExp;
            if (rows.Max[r] == float.NegativeInfinity)
            {
                accumulated.Clear();
                logSumExp = float.NegativeInfinity;
            }
            else
            {
                TensorPrimitives.Divide(accumulated, rows.Sum[r], accumulated);
                logSumExp = NaturalLogSumExp(rows.Max[r], rows.Sum[r]);
            }

            WriteRow(at.Batch, at.FirstHead + (r / at.Positions), at.FirstPosition + (r % at.Positions), accumulator, logSumExp);
        }
    }

    private readonly void WriteRow(int batch, int head, int position, float* row, float logSumExp)
    {
        ElementConversion.FromSingle(row, _output.Row(batch, head, position), _shape.ValueDim);
        if (_logSumExp != null)
        {
            _logSumExp[((((long)batch * _shape.Heads) + head) * _shape.SeqQ) + position] = logSumExp;
        }
    }

    /// <summary>Where one item sits: its batch, first head, query tile, first position, positions and tile rows.</summary>
    private readonly record struct ItemCoordinates(int Batch, int FirstHead, int QueryTile, int FirstPosition, int Positions, int Rows);

    /// <summary>An item's online-softmax state after its key tiles: unnormalized accumulators, base-2 running max and sum.</summary>
    private readonly struct ItemRows(ItemCoordinates at, float* accumulators, int accumulatorStride, float* max, float* sum)
    {
        public ItemCoordinates At { get; } = at;

        public float* Accumulators { get; } = accumulators;

        public int AccumulatorStride { get; } = accumulatorStride;

        public float* Max { get; } = max;

        public float* Sum { get; } = sum;

        public int Count => At.Rows;
    }
}
