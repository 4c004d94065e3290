using System;

namespace NativeAttention.Tests.Gpu;

/// <summary>A variant under test whose GPU call goes through <see cref="GpuAttention"/> with captures written by <see cref="GpuCaptureWriter"/>.</summary>
internal sealed class GpuVariantCase<TMods>(
    AttentionVariantDescriptor descriptor,
    bool allowsQueriesBeforeKeys,
    bool maskReadsSpanCapture,
    Func<GpuTestCase, Random, GpuTestCaptures> createCaptures,
    Func<GpuTestCaptures, TMods> hostMods,
    Func<GpuTestCaptures, TMods> lengthMods,
    Action<GpuTestCaptures, byte[]> writeCaptures)
    : GpuVariantCase(descriptor, allowsQueriesBeforeKeys)
    where TMods : struct, IAttentionMods
{
    public override GpuTestCaptures CreateCaptures(GpuTestCase shape, Random random) => createCaptures(shape, random);

    public override void Reference(
        GpuTestCase shape, GpuTestCaptures captures, double[] query, double[] key, double[] value, double scale, double[] output, double[] logSumExp) =>
        GpuTestReference.Forward(hostMods(captures), shape, query, key, value, scale, output, logSumExp);

    public override void Forward(
        DeviceTensor<Half> query, DeviceTensor<Half> key, DeviceTensor<Half> value, DeviceTensor<Half> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream) =>
        GpuAttention.Forward(query, key, value, output, Descriptor, Blob(captures), lengthMods(captures), maskReadsSpanCapture, options, stream);

    public override void Forward(
        DeviceTensor<BFloat16> query, DeviceTensor<BFloat16> key, DeviceTensor<BFloat16> value, DeviceTensor<BFloat16> output, GpuTestCaptures captures, AttentionOptions options, CudaStream stream) =>
        GpuAttention.Forward(query, key, value, output, Descriptor, Blob(captures), lengthMods(captures), maskReadsSpanCapture, options, stream);

    private byte[] Blob(GpuTestCaptures captures)
    {
        byte[] blob = new byte[Descriptor.CapturesSize];
        writeCaptures(captures, blob);
        return blob;
    }
}
