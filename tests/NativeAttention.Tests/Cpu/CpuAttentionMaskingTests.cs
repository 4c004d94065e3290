using System;
using System.Numerics.Tensors;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>Rows with no visible key, bottom-right alignment and empty key sequences.</summary>
public sealed class CpuAttentionMaskingTests
{
    [Fact]
    public void EveryKeyMaskedGivesZerosAndNegativeInfinity()
    {
        var problem = AttentionProblem<float>.Random(11, 2, 2, 1, 70, 130, 64, 64);
        var mods = new KeyRangeMods(firstKept: 130, endKept: 130);

        (TestTensor<float> output, float[] logSumExp) = problem.RunKernel(mods);

        Assert.All(output.Data, element => Assert.Equal(0f, element));
        Assert.All(logSumExp, value => Assert.Equal(float.NegativeInfinity, value));
        (TestTensor<float> expected, float[] expectedLse) = problem.RunReference(mods);
        AttentionAssert.Close(expected, output, 0);
        AttentionAssert.LogSumExpClose(expectedLse, logSumExp, 0);
    }

    [Fact]
    public void QueriesBeforeTheFirstKeyAreFullyMaskedUnderCausalAlignment()
    {
        // seqQ > seqKV: query i sits at position i + 17 − 129, so the first 112 queries see no key at all.
        var problem = AttentionProblem<Half>.Random(12, 1, 2, 2, 129, 17, 64, 64);

        (TestTensor<Half> output, float[] logSumExp) = problem.RunKernel(new CausalMods());

        for (int h = 0; h < 2; h++)
        {
            for (int i = 0; i < 129; i++)
            {
                bool visible = i >= 112;
                float lse = logSumExp[(h * 129) + i];
                Assert.True(visible ? float.IsFinite(lse) : float.IsNegativeInfinity(lse), $"head {h} row {i}: LSE {lse}");
                for (int d = 0; d < 64; d++)
                {
                    double element = output.At(0, h, i, d);
                    Assert.True(visible ? double.IsFinite(element) : element == 0, $"head {h} row {i} feature {d}: {element}");
                }
            }
        }
    }

    [Fact]
    public void SingleQueryAtTheEndSeesEveryKeyUnderCausalMask()
    {
        var problem = AttentionProblem<float>.Random(13, 1, 2, 2, 1, 300, 64, 64);

        (TestTensor<float> causal, float[] causalLse) = problem.RunKernel(new CausalMods());
        (TestTensor<float> dense, float[] denseLse) = problem.RunKernel(new DenseMods());

        // Equal up to rounding: dense specs run on larger key tiles, so their online softmax rescales at other points.
        AttentionAssert.Close(dense, causal, 1e-6);
        AttentionAssert.LogSumExpClose(denseLse, causalLse, 1e-6);
    }

    [Fact]
    public void EmptyKeySequenceGivesZerosAndNegativeInfinity()
    {
        TestTensor<float> query = TestTensor<float>.Create(1, 2, 5, 32, TensorLayout.Bhsd).FillRandom(new Random(14));
        TestTensor<float> key = TestTensor<float>.Create(1, 2, 0, 32, TensorLayout.Bhsd);
        TestTensor<float> value = TestTensor<float>.Create(1, 2, 0, 32, TensorLayout.Bhsd);
        TestTensor<float> output = TestTensor<float>.Create(1, 2, 5, 32, TensorLayout.Bhsd).Fill(double.NaN);
        var logSumExp = new float[10];
        Array.Fill(logSumExp, float.NaN);

        CpuAttention.Forward(query.ReadOnly, key.ReadOnly, value.ReadOnly, output.Span, new CausalMods(), new AttentionOptions { LogSumExp = logSumExp });

        Assert.All(output.Data, element => Assert.Equal(0f, element));
        Assert.All(logSumExp, lse => Assert.Equal(float.NegativeInfinity, lse));
    }

    [Fact]
    public void KeysAndValuesBroadcastAcrossTheBatchWithStrideZero()
    {
        // One key/value set shared by every batch entry: batch stride 0, as an expand() view gives.
        const int Batch = 3;
        var random = new Random(15);
        TestTensor<float> query = TestTensor<float>.Create(Batch, 4, 33, 64, TensorLayout.Bhsd).FillRandom(random);
        TestTensor<float> sharedKey = TestTensor<float>.Create(1, 2, 70, 64, TensorLayout.Bhsd).FillRandom(random);
        TestTensor<float> sharedValue = TestTensor<float>.Create(1, 2, 70, 64, TensorLayout.Bhsd).FillRandom(random);
        var key = new ReadOnlyTensorSpan<float>(sharedKey.Data, [Batch, 2, 70, 64], [0, 70 * 64, 64, 1]);
        var value = new ReadOnlyTensorSpan<float>(sharedValue.Data, [Batch, 2, 70, 64], [0, 70 * 64, 64, 1]);
        TestTensor<float> expected = TestTensor<float>.Create(Batch, 4, 33, 64, TensorLayout.Bhsd).Fill(double.NaN);
        TestTensor<float> actual = TestTensor<float>.Create(Batch, 4, 33, 64, TensorLayout.Bhsd).Fill(double.NaN);

        ReferenceAttention.Forward(query.ReadOnly, key, value, expected.Span, new CausalMods(), null);
        CpuAttention.Forward(query.ReadOnly, key, value, actual.Span, new CausalMods(), null);

        AttentionAssert.Close(expected, actual, 1e-5);
        for (int b = 1; b < Batch; b++)
        {
            Assert.NotEqual(actual.At(0, 0, 5, 0), actual.At(b, 0, 5, 0));
        }
    }
}
