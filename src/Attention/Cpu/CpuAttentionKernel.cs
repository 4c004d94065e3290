using System;
using System.Buffers;
using System.Numerics.Tensors;

namespace NativeAttention;

/// <summary>
/// Validates, pins and schedules one CPU forward call for a chosen vector width. <see cref="CpuAttention"/> picks the
/// width; tests pick it directly to cover the width the test machine lacks.
/// </summary>
internal static unsafe class CpuAttentionKernel
{
    /// <summary>Below about this many flops a call runs on the calling thread: scheduling would cost more than it saves.</summary>
    private const double ParallelThresholdFlops = 4e6;

    /// <summary>Runs attention with the micro-kernels of <typeparamref name="TSimd"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TMods">The spec's mod struct.</typeparam>
    /// <typeparam name="TSimd">The micro-kernels.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim].</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim].</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim].</param>
    /// <param name="output">[batch, heads, seqQ, valueDim].</param>
    /// <param name="mods">The mods with their captures.</param>
    /// <param name="options">The options, or null.</param>
    public static void Forward<T, TMods, TSimd>(
        in ReadOnlyTensorSpan<T> query,
        in ReadOnlyTensorSpan<T> key,
        in ReadOnlyTensorSpan<T> value,
        in TensorSpan<T> output,
        in TMods mods,
        AttentionOptions? options)
        where T : unmanaged
        where TMods : struct, IAttentionMods
        where TSimd : ISimdKernels
        => Forward<T, TMods, TSimd>(query, key, value, output, mods, options, keySplits: 0);

    /// <summary>Runs attention with the micro-kernels of <typeparamref name="TSimd"/> and a chosen key-range split.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TMods">The spec's mod struct.</typeparam>
    /// <typeparam name="TSimd">The micro-kernels.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim].</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim].</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim].</param>
    /// <param name="output">[batch, heads, seqQ, valueDim].</param>
    /// <param name="mods">The mods with their captures.</param>
    /// <param name="options">The options, or null.</param>
    /// <param name="keySplits">
    /// Shares of each item's key range (the decode path), at most one per key tile; 0 lets <see cref="KeySplitPlan.Choose"/>
    /// decide from the shape and the threads. Tests force it to cover the split on any machine.
    /// </param>
    public static void Forward<T, TMods, TSimd>(
        in ReadOnlyTensorSpan<T> query,
        in ReadOnlyTensorSpan<T> key,
        in ReadOnlyTensorSpan<T> value,
        in TensorSpan<T> output,
        in TMods mods,
        AttentionOptions? options,
        int keySplits)
        where T : unmanaged
        where TMods : struct, IAttentionMods
        where TSimd : ISimdKernels
    {
        AttentionShape shape = AttentionArgumentValidator.Validate(query, key, value, output, mods, options);
        if (shape.QueryRows == 0)
        {
            return;
        }

        float scale = options?.Scale ?? (1f / MathF.Sqrt(shape.HeadDim));
        int maxDegreeOfParallelism = options?.MaxDegreeOfParallelism ?? -1;
        double flops = 2.0 * shape.QueryRows * shape.SeqKV * (shape.HeadDim + shape.ValueDim);
        bool serial = maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1 || flops < ParallelThresholdFlops;
        int threads = serial ? 1 : ParallelUnitCall.ThreadLimit(maxDegreeOfParallelism);
        TilePlan plan = TilePlan.For(shape, threads, TMods.HasMaskMod);
        using MemoryHandle logSumExpHandle = options is null ? default : options.LogSumExp.Pin();
        fixed (T* queryOrigin = query)
        fixed (T* keyOrigin = key)
        fixed (T* valueOrigin = value)
        fixed (T* outputOrigin = output)
        {
            MemoryOverlap.ThrowIfOutputOverlaps(outputOrigin, output.Lengths, output.Strides, queryOrigin, query.Lengths, query.Strides, nameof(query));
            MemoryOverlap.ThrowIfOutputOverlaps(outputOrigin, output.Lengths, output.Strides, keyOrigin, key.Lengths, key.Strides, nameof(key));
            MemoryOverlap.ThrowIfOutputOverlaps(outputOrigin, output.Lengths, output.Strides, valueOrigin, value.Lengths, value.Strides, nameof(value));
            RuntimeTileMap? tileMap = TMods.HasMaskMod && shape.SeqKV > 0
                ? RuntimeTileMapCache.GetOrBuild(mods, shape, plan, maxDegreeOfParallelism)
                : null;

            var work = new AttentionTileWork<T, TMods, TSimd>(
                new StridedRows<T>(queryOrigin, query.Strides),
                new StridedRows<T>(keyOrigin, key.Strides),
                new StridedRows<T>(valueOrigin, value.Strides),
                new StridedRows<T>(outputOrigin, output.Strides),
                (float*)logSumExpHandle.Pointer,
                shape,
                plan,
                scale,
                tileMap,
                mods);

            int items = work.ItemCount;
            KeySplitPlan splitPlan = keySplits > 0
                ? KeySplitPlan.WithSplits(keySplits, shape, plan)
                : KeySplitPlan.Choose(shape, plan, items, threads);
            if (splitPlan.IsSplit)
            {
                RunSplit(ref work, items, splitPlan, serial ? 1 : maxDegreeOfParallelism);
            }
            else if (items == 1 || serial)
            {
                for (int item = 0; item < items; item++)
                {
                    work.Run(item);
                }
            }
            else
            {
                ParallelTileRunner<T, TMods, TSimd>.Run(work, maxDegreeOfParallelism, default, null);
            }
        }
    }

    private static void RunSplit<T, TMods, TSimd>(ref AttentionTileWork<T, TMods, TSimd> work, int items, KeySplitPlan splitPlan, int maxDegreeOfParallelism)
        where T : unmanaged
        where TMods : struct, IAttentionMods
        where TSimd : ISimdKernels
    {
        float[] buffer = PartialBufferPool.Rent(splitPlan.PartialFloats(items));
        try
        {
            float* partials = PartialBufferPool.Pointer(buffer);
            if (maxDegreeOfParallelism == 1)
            {
                for (int unit = 0; unit < items * splitPlan.Splits; unit++)
                {
                    work.RunPartial(unit / splitPlan.Splits, unit % splitPlan.Splits, partials, splitPlan);
                }
            }
            else
            {
                ParallelTileRunner<T, TMods, TSimd>.Run(work, maxDegreeOfParallelism, splitPlan, partials);
            }

            for (int item = 0; item < items; item++)
            {
                work.MergePartials(item, partials, splitPlan);
            }
        }
        finally
        {
            PartialBufferPool.Return(buffer);
        }
    }
}
