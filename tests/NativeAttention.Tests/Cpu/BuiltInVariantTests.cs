using System;
using System.Numerics.Tensors;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>Every built-in variant through its generated CPU <c>Forward</c> against the float64 reference with the same mods.</summary>
public sealed class BuiltInVariantTests
{
    private delegate void GeneratedForward<T>(
        ReadOnlyTensorSpan<T> query, ReadOnlyTensorSpan<T> key, ReadOnlyTensorSpan<T> value, TensorSpan<T> output, AttentionOptions options)
        where T : unmanaged;

    [Fact]
    public void Dense()
    {
        var problem = AttentionProblem<float>.Random(61, 1, 4, 2, 129, 129, 64, 64);
        Check(problem, new Dense.Mods(), (q, k, v, o, options) => NativeAttention.Dense.Forward(q, k, v, o, options));
    }

    [Fact]
    public void Causal()
    {
        var problem = AttentionProblem<Half>.Random(62, 2, 2, 2, 128, 128, 64, 64);
        Check(problem, new Causal.Mods(), (q, k, v, o, options) => NativeAttention.Causal.Forward(q, k, v, o, options));
    }

    [Fact]
    public void SlidingWindow()
    {
        var problem = AttentionProblem<BFloat16>.Random(63, 1, 2, 1, 200, 200, 80, 80, TensorLayout.Bshd);
        Check(problem, new SlidingWindow.Mods(50), (q, k, v, o, options) => NativeAttention.SlidingWindow.Forward(q, k, v, o, 50, options));
    }

    [Fact]
    public void Alibi()
    {
        var problem = AttentionProblem<float>.Random(64, 1, 6, 3, 17, 300, 128, 128);
        var slopes = new PinnedCapture<float>(NativeAttention.Alibi.GeometricSlopes(6));
        Check(problem, new Alibi.Mods(slopes.Span), (q, k, v, o, options) => NativeAttention.Alibi.Forward(q, k, v, o, slopes.Values, options));
    }

    [Fact]
    public void AttentionSinks()
    {
        var problem = AttentionProblem<float>.Random(65, 1, 2, 2, 300, 300, 32, 32);
        Check(problem, new AttentionSinks.Mods(4, 40), (q, k, v, o, options) => NativeAttention.AttentionSinks.Forward(q, k, v, o, 4, 40, options));
    }

    [Fact]
    public void PrefixLM()
    {
        var problem = AttentionProblem<Half>.Random(66, 1, 2, 2, 200, 200, 64, 64);
        Check(problem, new PrefixLM.Mods(70), (q, k, v, o, options) => NativeAttention.PrefixLM.Forward(q, k, v, o, 70, options));
    }

    [Fact]
    public void DocumentMask()
    {
        var problem = AttentionProblem<float>.Random(67, 1, 2, 2, 256, 256, 64, 64);
        var ids = new PinnedCapture<int>(CpuAttentionAccuracyTests.RandomDocumentIds(new Random(67), 256));
        Check(problem, new DocumentMask.Mods(ids.Span), (q, k, v, o, options) => NativeAttention.DocumentMask.Forward(q, k, v, o, ids.Values, options));
    }

    [Fact]
    public void LocalWindow2D()
    {
        // A 16 × 16 grid of tokens, each attending within Euclidean distance 3.5 cells.
        var problem = AttentionProblem<float>.Random(68, 1, 2, 2, 256, 256, 32, 32);
        Check(problem, new LocalWindow2D.Mods(16, 3.5f), (q, k, v, o, options) => NativeAttention.LocalWindow2D.Forward(q, k, v, o, 16, 3.5f, options));
    }

    [Fact]
    public void RelativePositionBias()
    {
        const int MaxDistance = 8;
        var problem = AttentionProblem<BFloat16>.Random(69, 1, 4, 4, 129, 129, 64, 64);
        var random = new Random(69);
        var values = new float[4 * ((2 * MaxDistance) + 1)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 4) - 2);
        }

        var bias = new PinnedCapture<float>(values);
        Check(
            problem,
            new RelativePositionBias.Mods(bias.Span, MaxDistance),
            (q, k, v, o, options) => NativeAttention.RelativePositionBias.Forward(q, k, v, o, bias.Values, MaxDistance, options));
    }

    [Fact]
    public void SoftCap()
    {
        // Scale 1 on headDim 64 gives scores well beyond the cap, so the tanh actually bends them.
        var problem = AttentionProblem<float>.Random(70, 1, 2, 2, 129, 129, 64, 64);
        Check(problem, new SoftCap.Mods(5f), (q, k, v, o, options) => NativeAttention.SoftCap.Forward(q, k, v, o, 5f, options), scale: 1f);
    }

    private static void Check<T, TMods>(AttentionProblem<T> problem, TMods mods, GeneratedForward<T> forward, float? scale = null)
        where T : unmanaged
        where TMods : struct, IAttentionMods
    {
        (TestTensor<T> expected, float[] expectedLse) = problem.RunReference(mods, scale);
        TestTensor<T> output = problem.PoisonedOutput();
        float[] logSumExp = problem.PoisonedLogSumExp();
        forward(problem.Query.ReadOnly, problem.Key.ReadOnly, problem.Value.ReadOnly, output.Span, new AttentionOptions { Scale = scale, LogSumExp = logSumExp });
        AttentionAssert.Close(expected, output, AttentionAssert.ToleranceFor<T>());
        AttentionAssert.LogSumExpClose(expectedLse, logSumExp, 1e-5);
    }
}
