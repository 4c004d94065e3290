using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The softmax by columns (specs without a score mod, tiles of 32 rows or more, or of rows that fill whole vectors)
/// where its running max lags: scores that climb by far more than the allowed lag from one key tile to the
/// next move every query's max on every tile and rescale its output, and scores that fall leave the first tile's max in
/// place while later weights underflow. Both vector widths, every dtype, unmasked, causal and windowed, grouped heads
/// and a value dim unlike the head dim.
/// </summary>
public sealed class CpuColumnSoftmaxTests
{
    [Theory]
    [InlineData(0.14)]
    [InlineData(-0.14)]
    public void ClimbingAndFallingScoresMatchReference(double slope)
    {
        Check<float, DenseMods, Vector256Kernels>(slope, new DenseMods());
        Check<float, DenseMods, Vector512Kernels>(slope, new DenseMods());
        Check<float, CausalMods, Vector256Kernels>(slope, new CausalMods());
        Check<float, CausalMods, Vector512Kernels>(slope, new CausalMods());
        Check<BFloat16, DenseMods, Vector512Kernels>(slope, new DenseMods());
        Check<BFloat16, CausalMods, Vector256Kernels>(slope, new CausalMods());
    }

    [Theory]
    [InlineData(0.14, 1)]
    [InlineData(-0.14, 1)]
    [InlineData(0.14, 2)]
    [InlineData(0.14, 3)]
    public void FewRowsOfDecodingMatchReference(double slope, int seqQ)
    {
        // Grouped 8:1, so an item holds 8, 16 or 24 rows: on 256-bit vectors all of them run by columns with the output
        // accumulated by rows (bf16 and fp16 from 16 rows), on 512-bit ones 16 rows, and the others by rows. A value dim
        // of 44 leaves a vector tail; the window cuts through key tiles, so that masked tiles go through the transposes
        // too.
        var problem = Climbing<float>(slope, 73, heads: 16, kvHeads: 2, seqQ, seqKV: 199, valueDim: 44);
        Check<float, DenseMods, Vector256Kernels>(problem, new DenseMods());
        Check<float, DenseMods, Vector512Kernels>(problem, new DenseMods());
        Check<float, SlidingWindowMods, Vector256Kernels>(problem, new SlidingWindowMods(150));
        Check<float, SlidingWindowMods, Vector512Kernels>(problem, new SlidingWindowMods(150));
        Check<BFloat16, CausalMods, Vector256Kernels>(Climbing<BFloat16>(slope, 74, heads: 16, kvHeads: 2, seqQ, seqKV: 199, valueDim: 48), new CausalMods());
        Check<Half, DenseMods, Vector256Kernels>(Climbing<Half>(slope, 75, heads: 16, kvHeads: 2, seqQ, seqKV: 199, valueDim: 40), new DenseMods());
    }

    /// <summary>A random problem whose scores climb (or fall) with the key index: feature 0 of every query is 1 and of key j is slope · j.</summary>
    private static AttentionProblem<T> Climbing<T>(double slope, int seed, int heads, int kvHeads, int seqQ, int seqKV, int valueDim)
        where T : unmanaged
    {
        var problem = AttentionProblem<T>.Random(seed, 1, heads, kvHeads, seqQ, seqKV, 80, valueDim);
        for (int head = 0; head < heads; head++)
        {
            for (int position = 0; position < seqQ; position++)
            {
                problem.Query.Set(0, head, position, 0, 1);
            }
        }

        for (int kvHead = 0; kvHead < kvHeads; kvHead++)
        {
            for (int kv = 0; kv < seqKV; kv++)
            {
                problem.Key.Set(0, kvHead, kv, 0, slope * kv);
            }
        }

        return problem;
    }

    private static void Check<T, TMods, TSimd>(double slope, TMods mods)
        where T : unmanaged
        where TMods : struct, IAttentionMods
        where TSimd : ISimdKernels
    {
        // At scale 1 the scores move by 64 · 0.14 = 9 (13 in base 2) over each 64-key tile of head dim 80, on top of the
        // random features' noise, and stay within ±28, where fp32 still meets its tolerance.
        Check<T, TMods, TSimd>(Climbing<T>(slope, slope > 0 ? 71 : 72, heads: 4, kvHeads: 2, seqQ: 75, seqKV: 200, valueDim: 48), mods);
    }

    private static void Check<T, TMods, TSimd>(AttentionProblem<T> problem, TMods mods)
        where T : unmanaged
        where TMods : struct, IAttentionMods
        where TSimd : ISimdKernels
    {
        (TestTensor<T> expected, float[] expectedLse) = problem.RunReference(mods, scale: 1f);
        TestTensor<T> output = problem.PoisonedOutput();
        float[] logSumExp = problem.PoisonedLogSumExp();
        CpuAttentionKernel.Forward<T, TMods, TSimd>(
            problem.Query.ReadOnly, problem.Key.ReadOnly, problem.Value.ReadOnly, output.Span, mods, new AttentionOptions { Scale = 1f, LogSumExp = logSumExp });
        // Scores near ±28 carry float rounding of about 28 · 2^-24 · √80 ≈ 1.5e-5 in the exponent on either path (rows or
        // columns), so fp32 gets 3e-5 here instead of 1e-5; a missed rescale would be off by factors of 2^8 and more.
        AttentionAssert.Close(expected, output, typeof(T) == typeof(float) ? 3e-5 : AttentionAssert.ToleranceFor<T>());
        AttentionAssert.LogSumExpClose(expectedLse, logSumExp, 1e-5);
    }
}
