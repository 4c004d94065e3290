using System;
using System.Numerics.Tensors;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>The reference itself against results worked out by hand, so that it is not merely trusted.</summary>
public sealed class ReferenceAttentionTests
{
    [Fact]
    public void TwoKeysGiveTheHandComputedSoftmaxAverage()
    {
        // Scores 0 and ln 2 give weights 1/3 and 2/3: output 3·1/3 + 6·2/3 = 5, log-sum-exp ln(1 + 2) = ln 3.
        float[] query = [1f];
        float[] key = [0f, MathF.Log(2f)];
        float[] value = [3f, 6f];
        var output = new float[1];
        var logSumExp = new float[1];

        ReferenceAttention.Forward(
            Tensor4(query, 1, 1), Tensor4(key, 2, 1), Tensor4(value, 2, 1), new TensorSpan<float>(output, [1, 1, 1, 1]), new DenseMods(),
            new AttentionOptions { LogSumExp = logSumExp });

        Assert.Equal(5.0, output[0], 5);
        Assert.Equal(Math.Log(3), logSumExp[0], 5);
    }

    [Fact]
    public void QueriesAreAlignedToTheLastKeys()
    {
        // Zero queries give uniform weights over the visible keys: query 0 sits at position 1, query 1 at position 2.
        float[] query = [0f, 0f];
        float[] key = [1f, 2f, 3f];
        float[] value = [3f, 6f, 12f];
        var output = new float[2];

        ReferenceAttention.Forward(
            Tensor4(query, 2, 1), Tensor4(key, 3, 1), Tensor4(value, 3, 1), new TensorSpan<float>(output, [1, 1, 2, 1]), new CausalMods(), null);

        Assert.Equal(4.5, output[0], 5);
        Assert.Equal(7.0, output[1], 5);
    }

    [Fact]
    public void ScoreModSeesScaledScoresAtAbsolutePositions()
    {
        // ALiBi slope ln 2 on zero scores: key kv gets weight 2^(kv − q), so weights 1/4, 1/2, 1 for q = 2.
        float[] query = [0f];
        float[] key = [0f, 0f, 0f];
        float[] value = [7f, 14f, 28f];
        var output = new float[1];
        var slopes = new PinnedCapture<float>([MathF.Log(2f)]);

        ReferenceAttention.Forward(
            Tensor4(query, 1, 1), Tensor4(key, 3, 1), Tensor4(value, 3, 1), new TensorSpan<float>(output, [1, 1, 1, 1]),
            new AlibiMods(slopes.Span), null);

        Assert.Equal(((7 * 0.25) + (14 * 0.5) + 28) / 1.75, output[0], 4);
        GC.KeepAlive(slopes);
    }

    private static ReadOnlyTensorSpan<float> Tensor4(float[] data, int seq, int dim) => new(data, [1, 1, seq, dim]);
}
