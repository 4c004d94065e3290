using System;
using System.Numerics.Tensors;

namespace NativeAttention.Tests.Gpu;

/// <summary>A generated GPU <c>Forward</c> overload of one element type, called with the captures of a test.</summary>
internal delegate void GeneratedGpuForward<T>(
    DeviceTensor<T> query, DeviceTensor<T> key, DeviceTensor<T> value, DeviceTensor<T> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream)
    where T : unmanaged;

/// <summary>A variant under test: its CPU mods drive <see cref="ReferenceAttention"/>, its generated GPU overloads run the kernels.</summary>
internal sealed class GpuVariantCase<TMods>(
    AttentionVariantDescriptor descriptor,
    Func<GpuTestCase, Random, GpuTestCaptures> createCaptures,
    Func<GpuTestCaptures, TMods> hostMods,
    GeneratedGpuForward<Half> forwardHalf,
    GeneratedGpuForward<BFloat16> forwardBFloat16)
    : GpuVariantCase(descriptor)
    where TMods : struct, IAttentionMods
{
    public override GpuTestCaptures CreateCaptures(GpuTestCase shape, Random random) => createCaptures(shape, random);

    public override void Reference(GpuTestCase shape, GpuTestCaptures captures, float[] query, float[] key, float[] value, float[] output, float[]? logSumExp) =>
        ReferenceAttention.Forward(
            new ReadOnlyTensorSpan<float>(query, [shape.Batch, shape.Heads, shape.SeqQ, shape.HeadDim]),
            new ReadOnlyTensorSpan<float>(key, [shape.Batch, shape.KvHeads, shape.SeqKV, shape.HeadDim]),
            new ReadOnlyTensorSpan<float>(value, [shape.Batch, shape.KvHeads, shape.SeqKV, shape.ValueDim]),
            new TensorSpan<float>(output, [shape.Batch, shape.Heads, shape.SeqQ, shape.ValueDim]),
            hostMods(captures),
            new AttentionOptions { LogSumExp = logSumExp });

    public override void Forward(
        DeviceTensor<Half> query, DeviceTensor<Half> key, DeviceTensor<Half> value, DeviceTensor<Half> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream) =>
        forwardHalf(query, key, value, output, captures, options, stream);

    public override void Forward(
        DeviceTensor<BFloat16> query, DeviceTensor<BFloat16> key, DeviceTensor<BFloat16> value, DeviceTensor<BFloat16> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream) =>
        forwardBFloat16(query, key, value, output, captures, options, stream);
}
