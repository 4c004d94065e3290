using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>Threading, exceptions from user mods and allocation behaviour.</summary>
public sealed class CpuAttentionExecutionTests
{
    [Fact]
    public void ParallelRunsMatchTheSingleThreadedRunBitForBit()
    {
        var problem = AttentionProblem<float>.Random(41, 1, 4, 2, 300, 300, 64, 64);

        (TestTensor<float> single, float[] singleLse) = problem.RunKernel(new CausalMods(), maxDegreeOfParallelism: 1);
        (TestTensor<float> unbounded, float[] unboundedLse) = problem.RunKernel(new CausalMods());
        (TestTensor<float> two, float[] twoLse) = problem.RunKernel(new CausalMods(), maxDegreeOfParallelism: 2);

        Assert.Equal(single.Data, unbounded.Data);
        Assert.Equal(single.Data, two.Data);
        Assert.Equal(singleLse, unboundedLse);
        Assert.Equal(singleLse, twoLse);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void ExceptionFromAModSurfacesAsItself(int maxDegreeOfParallelism)
    {
        var problem = AttentionProblem<float>.Random(42, 1, 4, 4, 256, 256, 64, 64);
        var bias = new PinnedCapture<float>(new float[100]);

        Assert.Throws<IndexOutOfRangeException>(
            () => problem.RunKernel(new OutOfRangeScoreMods(bias.Span), maxDegreeOfParallelism: maxDegreeOfParallelism));
        GC.KeepAlive(bias);
    }

    [Fact]
    public void SingleThreadedCallsAllocateNothingAfterWarmUp()
    {
        AssertNoAllocation(AttentionProblem<float>.Random(43, 1, 2, 1, 100, 130, 64, 64), new CausalMods());
        AssertNoAllocation(AttentionProblem<BFloat16>.Random(44, 2, 2, 2, 65, 65, 80, 80), new SlidingWindowMods(20));
        var ids = new PinnedCapture<int>(CpuAttentionAccuracyTests.RandomDocumentIds(new Random(45), 90));
        AssertNoAllocation(AttentionProblem<Half>.Random(45, 1, 2, 2, 90, 90, 32, 32), new DocumentMaskMods(ids.Span));
        GC.KeepAlive(ids);
    }

    [Fact]
    public void AttentionRunFromInsideAModLeavesTheOuterCallIntact()
    {
        var problem = AttentionProblem<float>.Random(46, 1, 2, 2, 40, 200, 64, 64);
        var inner = new InnerAttention();

        (TestTensor<float> actual, float[] actualLse) = problem.RunKernel(new NestedAttentionMods(inner), maxDegreeOfParallelism: 1);

        Assert.Equal(2 * 40 * 200, inner.Calls);
        (TestTensor<float> expected, float[] expectedLse) = problem.RunReference(new DenseMods());
        AttentionAssert.Close(expected, actual, 1e-5);
        AttentionAssert.LogSumExpClose(expectedLse, actualLse, 1e-5);
    }

    private static void AssertNoAllocation<T, TMods>(AttentionProblem<T> problem, TMods mods)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        TestTensor<T> output = problem.PoisonedOutput();
        var options = new AttentionOptions { LogSumExp = problem.PoisonedLogSumExp(), MaxDegreeOfParallelism = 1 };
        CpuAttention.Forward(problem.Query.ReadOnly, problem.Key.ReadOnly, problem.Value.ReadOnly, output.Span, mods, options);

        // Any per-call object is at least 24 bytes, so ten calls would allocate 240 in every window. The runtime itself
        // may allocate once on this thread while the window runs (tiered compilation's bookkeeping: 7 KB seen once in
        // CI), so the fewest bytes of three windows is what is judged.
        const int Calls = 10;
        long fewest = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Calls; i++)
            {
                CpuAttention.Forward(problem.Query.ReadOnly, problem.Key.ReadOnly, problem.Value.ReadOnly, output.Span, mods, options);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(fewest < Calls * 24, $"{Calls} calls allocated {fewest} bytes.");
    }
}
