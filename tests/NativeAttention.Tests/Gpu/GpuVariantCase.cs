using System;

namespace NativeAttention.Tests.Gpu;

/// <summary>A built-in variant under test: its captures for a shape, its <see cref="ReferenceAttention"/> call and its GPU call.</summary>
internal abstract class GpuVariantCase(AttentionVariantDescriptor descriptor)
{
    public AttentionVariantDescriptor Descriptor { get; } = descriptor;

    public string Name => Descriptor.Name;

    public abstract GpuTestCaptures CreateCaptures(GpuTestCase shape, Random random);

    /// <summary>Runs <see cref="ReferenceAttention"/> (float64 inside) on packed float inputs holding the exact 16-bit values.</summary>
    public abstract void Reference(GpuTestCase shape, GpuTestCaptures captures, float[] query, float[] key, float[] value, float[] output, float[]? logSumExp);

    public abstract void Forward(
        DeviceTensor<Half> query, DeviceTensor<Half> key, DeviceTensor<Half> value, DeviceTensor<Half> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream);

    public abstract void Forward(
        DeviceTensor<BFloat16> query, DeviceTensor<BFloat16> key, DeviceTensor<BFloat16> value, DeviceTensor<BFloat16> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream);
}
