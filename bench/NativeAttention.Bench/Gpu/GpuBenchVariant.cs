namespace NativeAttention.Bench.Gpu;

/// <summary>Queues one call of a variant's generated GPU <c>Forward</c> overload with representative captures.</summary>
internal delegate void GpuBenchLaunch(
    DeviceTensor<BFloat16> query, DeviceTensor<BFloat16> key, DeviceTensor<BFloat16> value, DeviceTensor<BFloat16> output,
    GpuBenchCaptures captures, CudaStream stream);

/// <summary>A built-in variant as the compile and first-call benchmarks see it.</summary>
internal sealed record GpuBenchVariant(AttentionVariantDescriptor Descriptor, GpuBenchLaunch Launch)
{
    public string Name => Descriptor.Name;
}
