using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>The CPU attention forward pass that every generated <c>Forward</c> overload calls.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CpuAttention
{
    /// <summary>
    /// Runs attention with the mods of one spec: a tiled flash-style forward pass with online softmax and float
    /// accumulation that skips tiles the mask empties and evaluates the mask only on tiles it cuts.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.</typeparam>
    /// <typeparam name="TMods">The spec's generated mod struct.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim], last dimension contiguous.</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim], last dimension contiguous.</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim], last dimension contiguous.</param>
    /// <param name="output">[batch, heads, seqQ, valueDim], last dimension contiguous.</param>
    /// <param name="mods">The spec's mods with their captures.</param>
    /// <param name="options">Scale, log-sum-exp output and parallelism; null for the defaults.</param>
    /// <remarks>
    /// Query i sits at absolute position i + seqKV − seqQ. A row whose every key is masked gets zeros and a
    /// log-sum-exp of negative infinity.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes, strides, options or captures do not fit together.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    public static void Forward<T, TMods>(
        ReadOnlyTensorSpan<T> query,
        ReadOnlyTensorSpan<T> key,
        ReadOnlyTensorSpan<T> value,
        TensorSpan<T> output,
        in TMods mods,
        AttentionOptions? options)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        if (Vector512.IsHardwareAccelerated)
        {
            CpuAttentionKernel.Forward<T, TMods, Vector512Kernels>(query, key, value, output, mods, options);
        }
        else
        {
            CpuAttentionKernel.Forward<T, TMods, Vector256Kernels>(query, key, value, output, mods, options);
        }
    }
}
