using System;

namespace NativeAttention.Tests.Gpu;

/// <summary>A generated GPU <c>Forward</c> overload of one element type, called with the captures of a test.</summary>
internal delegate void GeneratedGpuForward<T>(
    DeviceTensor<T> query, DeviceTensor<T> key, DeviceTensor<T> value, DeviceTensor<T> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream)
    where T : unmanaged;

/// <summary>A variant under test: its CPU mods drive the reference, its generated GPU overloads run the kernels.</summary>
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

    public override void Reference(
        GpuTestCase shape, GpuTestCaptures captures, double[] query, double[] key, double[] value, double scale, double[] output, double[] logSumExp) =>
        GpuTestReference.Forward(hostMods(captures), shape, query, key, value, scale, output, logSumExp);

    public override void Forward(
        DeviceTensor<Half> query, DeviceTensor<Half> key, DeviceTensor<Half> value, DeviceTensor<Half> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream) =>
        forwardHalf(query, key, value, output, captures, options, stream);

    public override void Forward(
        DeviceTensor<BFloat16> query, DeviceTensor<BFloat16> key, DeviceTensor<BFloat16> value, DeviceTensor<BFloat16> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream) =>
        forwardBFloat16(query, key, value, output, captures, options, stream);
}
