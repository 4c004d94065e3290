using Xunit;

namespace NativeAttention.Tests.Gpu;

/// <summary>The forward unit's layout choice: two 16-row tiles per warp, or one when a spec's mods would spill.</summary>
[Trait("Category", "Gpu")]
public sealed class GpuForwardTilingTests
{
    // Precise libm calls per score (pow, log, exp, sinh, erf, lgamma, ...): far more registers than two tiles per warp
    // leave (NVRTC 11.8 spills 400 bytes for sm_90; one tile per warp fits).
    private const string HeavyScoreMod = """
        #define NA_HAS_SCORE_MOD 1
        #define NA_HAS_MASK_MOD 0
        struct na_captures
        {
            float strength;
        };
        __device__ __forceinline__ float na_score_mod(float score, int batch, int head, int q, int kv, const na_captures& c)
        {
            const float d = (float)abs(q - kv);
            const float a = fabsf(score);
            return score + c.strength * powf(a + 1.0f, 0.37f) * logf(1.0f + d) - expf(-a) +
                   powf(d + 2.0f, -0.61f) * tanhf(score * 0.1f) + fmodf(score, 3.7f) * sqrtf(d) +
                   powf(a + 0.5f, 1.9f) * logf(2.0f + a) - fmodf(d, 5.3f) * expf(score * 0.01f) +
                   powf(a + 3.0f, 0.23f) * sinhf(score * 0.02f) - coshf(d * 0.001f) * atan2f(score, d + 1.0f) +
                   powf(d + 0.25f, 0.71f) * erff(score * 0.05f) + lgammaf(a + 1.5f) * cbrtf(d + 0.5f);
        }
        __device__ __forceinline__ bool na_mask_mod(int batch, int head, int q, int kv, const na_captures& c)
        {
            return true;
        }
        """;

    [Theory]
    [InlineData(nameof(Dense))]
    [InlineData(nameof(Alibi))]
    [InlineData(nameof(SoftCap))]
    public void BuiltInSpecsKeepTwoTilesPerWarpWithoutSpilling(string variant)
    {
        CudaDevice device = GpuAttentionTests.RequireDevice();

        GpuKernelUnit unit = GpuModuleCache.Get(
            device, GpuKernelTemplate.FlashForward, BuiltInVariants.Named(variant).CudaSource, GpuDataType.BFloat16, 128, 128);

        Assert.Equal(128, unit.Config[0]);
        Assert.Equal(0, unit.Kernel.LocalBytesPerThread);
    }

    [Fact]
    public void ASpecThatSpillsTwoTilesFallsBackToOneTilePerWarp()
    {
        CudaDevice device = GpuAttentionTests.RequireDevice();
        var twoTiles = new GpuCompileUnit(GpuKernelTemplate.FlashForward, HeavyScoreMod, GpuDataType.BFloat16, 128, 128);
        using GpuKernelUnit spilling = GpuKernelUnit.Load(
            device, GpuKernelTemplate.FlashForward, twoTiles.Compile(KernelCache.Default, GpuArchitecture.Select(device)));
        Assert.True(spilling.Kernel.LocalBytesPerThread > 0, "the heavy test mod must spill two tiles per warp for this test to mean anything");

        GpuKernelUnit unit = GpuModuleCache.Get(
            device, GpuKernelTemplate.FlashForward, HeavyScoreMod, GpuDataType.BFloat16, 128, 128);

        Assert.Equal(64, unit.Config[0]);
        Assert.Equal(0, unit.Kernel.LocalBytesPerThread);
    }
}
