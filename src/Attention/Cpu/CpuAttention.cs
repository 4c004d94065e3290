using System;
using System.ComponentModel;
using System.Numerics.Tensors;

namespace NativeAttention;

/// <summary>The CPU attention forward pass that every generated <c>Forward</c> overload calls.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CpuAttention
{
    /// <summary>Runs attention with the mods of one spec.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.</typeparam>
    /// <typeparam name="TMods">The spec's generated mod struct.</typeparam>
    /// <param name="query">[batch, heads, seqQ, headDim], last dimension contiguous.</param>
    /// <param name="key">[batch, kvHeads, seqKV, headDim], last dimension contiguous.</param>
    /// <param name="value">[batch, kvHeads, seqKV, valueDim], last dimension contiguous.</param>
    /// <param name="output">[batch, heads, seqQ, valueDim], last dimension contiguous.</param>
    /// <param name="mods">The spec's mods with their captures.</param>
    /// <param name="options">Scale, log-sum-exp output and parallelism; null for the defaults.</param>
    public static void Forward<T, TMods>(
        ReadOnlyTensorSpan<T> query,
        ReadOnlyTensorSpan<T> key,
        ReadOnlyTensorSpan<T> value,
        TensorSpan<T> output,
        in TMods mods,
        AttentionOptions? options)
        where T : unmanaged
        where TMods : struct, IAttentionMods
        => throw new NotImplementedException("Coordination placeholder: replaced by the CPU kernel branch before it lands.");
}
