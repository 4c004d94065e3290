using System;

namespace NativeAttention;

/// <summary>
/// TEMPORARY switch for an A/B measurement of the AVX-512 GEMM blocks on the Xeon; remove it, and the 8 × 2 strips it
/// selects, once the measurement has picked a block. Setting the environment variable <c>NA_CPU_EXP_MK</c> to
/// <c>8x2</c> runs the 64-column strips of <see cref="SimdMicroKernels{TLanes, TVector}"/> on the older 8-row ×
/// 2-vector block; anything else runs the 6-row × 4-vector block.
/// </summary>
internal static class MicroKernelExperiment
{
    /// <summary>
    /// Whether 512-bit kernels run 64-column strips as 6-row × 4-vector blocks. A static readonly bool is a constant to
    /// the tier-1 JIT, so reading it in the kernel costs nothing.
    /// </summary>
    public static readonly bool UseSixByFour = Environment.GetEnvironmentVariable("NA_CPU_EXP_MK") != "8x2";
}
