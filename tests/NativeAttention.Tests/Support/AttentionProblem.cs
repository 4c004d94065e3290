using System;

namespace NativeAttention.Tests.Support;

/// <summary>Random query, key and value tensors of one shape, plus NaN-poisoned outputs to write into.</summary>
public sealed class AttentionProblem<T>
    where T : unmanaged
{
    private AttentionProblem(TestTensor<T> query, TestTensor<T> key, TestTensor<T> value, TensorLayout layout)
    {
        Query = query;
        Key = key;
        Value = value;
        Layout = layout;
    }

    public TestTensor<T> Query { get; }

    public TestTensor<T> Key { get; }

    public TestTensor<T> Value { get; }

    public TensorLayout Layout { get; }

    public int Batch => (int)Query.Lengths[0];

    public int Heads => (int)Query.Lengths[1];

    public int SeqQ => (int)Query.Lengths[2];

    public int SeqKV => (int)Key.Lengths[2];

    public int ValueDim => (int)Value.Lengths[3];

    public static AttentionProblem<T> Random(
        int seed, int batch, int heads, int kvHeads, int seqQ, int seqKV, int headDim, int valueDim, TensorLayout layout = TensorLayout.Bhsd)
    {
        var random = new Random(seed);
        return new AttentionProblem<T>(
            TestTensor<T>.Create(batch, heads, seqQ, headDim, layout).FillRandom(random),
            TestTensor<T>.Create(batch, kvHeads, seqKV, headDim, layout).FillRandom(random),
            TestTensor<T>.Create(batch, kvHeads, seqKV, valueDim, layout).FillRandom(random),
            layout);
    }

    /// <summary>An output whose every element, padding included, is NaN, so that unwritten elements fail comparisons.</summary>
    public TestTensor<T> PoisonedOutput() => TestTensor<T>.Create(Batch, Heads, SeqQ, ValueDim, Layout).Fill(double.NaN);

    /// <summary>Sets every feature of one key row and its value row to NaN: a kernel that loads them fails comparisons.</summary>
    public void PoisonKeyAndValue(int batch, int kvHead, int kv)
    {
        for (int d = 0; d < Key.Lengths[3]; d++)
        {
            Key.Set(batch, kvHead, kv, d, double.NaN);
        }

        for (int d = 0; d < ValueDim; d++)
        {
            Value.Set(batch, kvHead, kv, d, double.NaN);
        }
    }

    public float[] PoisonedLogSumExp()
    {
        var logSumExp = new float[Batch * Heads * SeqQ];
        Array.Fill(logSumExp, float.NaN);
        return logSumExp;
    }

    public (TestTensor<T> Output, float[] LogSumExp) RunKernel<TMods>(in TMods mods, float? scale = null, int maxDegreeOfParallelism = -1)
        where TMods : struct, IAttentionMods
    {
        TestTensor<T> output = PoisonedOutput();
        float[] logSumExp = PoisonedLogSumExp();
        var options = new AttentionOptions { Scale = scale, LogSumExp = logSumExp, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        CpuAttention.Forward(Query.ReadOnly, Key.ReadOnly, Value.ReadOnly, output.Span, mods, options);
        return (output, logSumExp);
    }

    public (TestTensor<T> Output, float[] LogSumExp) RunReference<TMods>(in TMods mods, float? scale = null)
        where TMods : struct, IAttentionMods
    {
        TestTensor<T> output = PoisonedOutput();
        float[] logSumExp = PoisonedLogSumExp();
        var options = new AttentionOptions { Scale = scale, LogSumExp = logSumExp };
        ReferenceAttention.Forward(Query.ReadOnly, Key.ReadOnly, Value.ReadOnly, output.Span, mods, options);
        return (output, logSumExp);
    }
}
