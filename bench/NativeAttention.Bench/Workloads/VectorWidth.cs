namespace NativeAttention.Bench;

/// <summary>Which micro-kernels a workload runs.</summary>
public enum VectorWidth
{
    /// <summary>What <see cref="CpuAttention"/> picks: Vector512 where accelerated, else Vector256.</summary>
    Auto,

    /// <summary>The Vector256 micro-kernels.</summary>
    V256,

    /// <summary>The Vector512 micro-kernels (emulated on machines without AVX-512).</summary>
    V512,
}
