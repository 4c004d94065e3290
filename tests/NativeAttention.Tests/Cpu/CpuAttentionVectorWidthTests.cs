using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// Both vector widths end to end, whatever this machine accelerates: .NET emulates a width the hardware lacks, so
/// the AVX-512 path is checked on AVX2 machines and the AVX2 path on AVX-512 machines. The one-query problems take
/// the dot-product score path of tiles with few rows.
/// </summary>
public sealed class CpuAttentionVectorWidthTests
{
    [Fact]
    public void Vector512KernelsMatchReference()
    {
        Check<float, Vector512Kernels>(AttentionProblem<float>.Random(51, 1, 2, 1, 67, 83, 80, 72));
        Check<Half, Vector512Kernels>(AttentionProblem<Half>.Random(52, 2, 2, 2, 17, 129, 64, 19));
        Check<float, Vector512Kernels>(AttentionProblem<float>.Random(55, 1, 3, 3, 1, 300, 72, 40));
    }

    [Fact]
    public void Vector512GroupedHeadsMatchReference()
    {
        // Tiles of 8 rows (decode with GQA 8:1), 96 or 192 rows (12 heads × 8 or 16 positions, as the thread count picks)
        // and 36 rows (12 heads × 3): whole 8-row register blocks, and blocks of 8 followed by a 4-row tail.
        Check<float, Vector512Kernels>(AttentionProblem<float>.Random(57, 1, 8, 1, 1, 777, 128, 128));
        Check<BFloat16, Vector512Kernels>(AttentionProblem<BFloat16>.Random(58, 1, 16, 2, 1, 301, 64, 64));
        Check<Half, Vector512Kernels>(AttentionProblem<Half>.Random(59, 1, 12, 1, 11, 203, 64, 48));
        Check<float, Vector512Kernels>(AttentionProblem<float>.Random(60, 2, 24, 2, 19, 150, 96, 64));
    }

    [Fact]
    public void Vector512RowsWithNoKeyGetZerosAndNegativeInfinity()
    {
        var problem = AttentionProblem<float>.Random(61, 1, 8, 1, 5, 200, 64, 64);
        TestTensor<float> output = problem.PoisonedOutput();
        float[] logSumExp = problem.PoisonedLogSumExp();
        CpuAttentionKernel.Forward<float, KeyRangeMods, Vector512Kernels>(
            problem.Query.ReadOnly, problem.Key.ReadOnly, problem.Value.ReadOnly, output.Span, new KeyRangeMods(300, 400), new AttentionOptions { LogSumExp = logSumExp });
        Assert.All(logSumExp, value => Assert.Equal(float.NegativeInfinity, value));
        Assert.All(output.Data, element => Assert.Equal(0f, element));
    }

    [Fact]
    public void Vector256KernelsMatchReference()
    {
        Check<float, Vector256Kernels>(AttentionProblem<float>.Random(53, 1, 2, 1, 67, 83, 80, 72));
        Check<BFloat16, Vector256Kernels>(AttentionProblem<BFloat16>.Random(54, 2, 2, 2, 17, 129, 64, 19));
        Check<float, Vector256Kernels>(AttentionProblem<float>.Random(56, 2, 4, 2, 1, 130, 64, 24));
    }

    private static void Check<T, TSimd>(AttentionProblem<T> problem)
        where T : unmanaged
        where TSimd : ISimdKernels
    {
        var mods = new SlidingWindowMods(40);
        (TestTensor<T> expected, float[] expectedLse) = problem.RunReference(mods);
        TestTensor<T> output = problem.PoisonedOutput();
        float[] logSumExp = problem.PoisonedLogSumExp();
        CpuAttentionKernel.Forward<T, SlidingWindowMods, TSimd>(
            problem.Query.ReadOnly, problem.Key.ReadOnly, problem.Value.ReadOnly, output.Span, mods, new AttentionOptions { LogSumExp = logSumExp });
        AttentionAssert.Close(expected, output, AttentionAssert.ToleranceFor<T>());
        AttentionAssert.LogSumExpClose(expectedLse, logSumExp, 1e-5);
    }
}
