using System;
using System.Numerics.Tensors;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>Bad arguments fail with an ArgumentException naming the argument, the expected and the actual value.</summary>
public sealed class CpuAttentionValidationTests
{
    private readonly float[] _query = new float[2 * 4 * 8 * 64];
    private readonly float[] _key = new float[2 * 2 * 16 * 64];
    private readonly float[] _value = new float[2 * 2 * 16 * 32];
    private readonly float[] _output = new float[2 * 4 * 8 * 32];

    private ReadOnlyTensorSpan<float> Query => new(_query, [2, 4, 8, 64]);

    private ReadOnlyTensorSpan<float> Key => new(_key, [2, 2, 16, 64]);

    private ReadOnlyTensorSpan<float> Value => new(_value, [2, 2, 16, 32]);

    private TensorSpan<float> Output => new(_output, [2, 4, 8, 32]);

    [Fact]
    public void ValidArgumentsPass()
    {
        CpuAttention.Forward(Query, Key, Value, Output, new CausalMods(), null);
    }

    [Fact]
    public void WrongRankNamesTheArgument()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(new ReadOnlyTensorSpan<float>(_query, [8, 8, 64]), Key, Value, Output, new CausalMods(), null));
        Assert.Equal("query", e.ParamName);
        Assert.StartsWith("Expected query to have rank 4 ([batch, heads, seqQ, headDim]), but got rank 3.", e.Message);
    }

    [Fact]
    public void HeadDimMismatchStatesExpectedAndActual()
    {
        var key = new float[2 * 2 * 16 * 80];
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, new ReadOnlyTensorSpan<float>(key, [2, 2, 16, 80]), Value, Output, new CausalMods(), null));
        Assert.Equal("key", e.ParamName);
        Assert.StartsWith("Expected key.Lengths[3] (headDim) = 64 to match query, but got 80.", e.Message);
    }

    [Fact]
    public void BatchMismatchStatesExpectedAndActual()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, Key, new ReadOnlyTensorSpan<float>(_value, [1, 2, 16, 32]), Output, new CausalMods(), null));
        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("Expected value.Lengths[0] (batch) = 2 to match query, but got 1.", e.Message);
    }

    [Fact]
    public void ValueSequenceMismatchStatesExpectedAndActual()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, Key, new ReadOnlyTensorSpan<float>(_value, [2, 2, 15, 32]), Output, new CausalMods(), null));
        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("Expected value.Lengths[2] (seqKV) = 16 to match key, but got 15.", e.Message);
    }

    [Fact]
    public void OutputValueDimMismatchStatesExpectedAndActual()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, Key, Value, new TensorSpan<float>(_output, [2, 4, 8, 16]), new CausalMods(), null));
        Assert.Equal("output", e.ParamName);
        Assert.StartsWith("Expected output.Lengths[3] (valueDim) = 32 to match value, but got 16.", e.Message);
    }

    [Fact]
    public void KvHeadsMustDivideHeads()
    {
        var key = new float[2 * 3 * 16 * 64];
        var value = new float[2 * 3 * 16 * 32];
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(
                Query, new ReadOnlyTensorSpan<float>(key, [2, 3, 16, 64]), new ReadOnlyTensorSpan<float>(value, [2, 3, 16, 32]), Output,
                new CausalMods(), null));
        Assert.Equal("key", e.ParamName);
        Assert.StartsWith("Expected key.Lengths[1] (kvHeads) to divide query.Lengths[1] (heads) = 4, but got 3.", e.Message);
    }

    [Fact]
    public void LastDimensionMustBeContiguous()
    {
        var everyOther = new float[2 * 4 * 8 * 128];
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(
                new ReadOnlyTensorSpan<float>(everyOther, [2, 4, 8, 64], [4096, 1024, 128, 2]), Key, Value, Output, new CausalMods(), null));
        Assert.Equal("query", e.ParamName);
        Assert.StartsWith("Expected query.Strides[3] = 1 (the last dimension must be contiguous), but got 2.", e.Message);
    }

    [Fact]
    public void LogSumExpLengthMustBeBatchTimesHeadsTimesSeqQ()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, Key, Value, Output, new CausalMods(), new AttentionOptions { LogSumExp = new float[63] }));
        Assert.Equal("options", e.ParamName);
        Assert.StartsWith("Expected options.LogSumExp.Length = batch·heads·seqQ = 64 (or 0 to skip it), but got 63.", e.Message);
    }

    [Fact]
    public void ScaleMustBeFinite()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, Key, Value, Output, new CausalMods(), new AttentionOptions { Scale = float.NaN }));
        Assert.Equal("options", e.ParamName);
        Assert.StartsWith("Expected options.Scale to be finite, but got NaN.", e.Message);
    }

    [Fact]
    public void MaxDegreeOfParallelismMustBeMinusOneOrPositive()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(
            () => CpuAttention.Forward(Query, Key, Value, Output, new CausalMods(), new AttentionOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Equal("options", e.ParamName);
        Assert.StartsWith("Expected options.MaxDegreeOfParallelism to be -1 (no limit) or at least 1, but got 0.", e.Message);
    }

    [Fact]
    public void OutputMustNotOverlapAnInput()
    {
        var shared = new float[2 * 4 * 8 * 64];
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(
                new ReadOnlyTensorSpan<float>(shared, [2, 4, 8, 64]), Key, Value, new TensorSpan<float>(shared, [2, 4, 8, 32]), new CausalMods(), null));
        Assert.Equal("output", e.ParamName);
        Assert.StartsWith("Expected output to share no memory with query, but output's 2048 elements", e.Message);
    }

    [Fact]
    public void OutputMustNotBroadcast()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(
                Query, Key, Value, new TensorSpan<float>(_output, [2, 4, 8, 32], [1024, 256, 0, 1]), new CausalMods(), null));
        Assert.Equal("output", e.ParamName);
        Assert.StartsWith("Expected output.Strides[2] to be nonzero (output elements must not alias each other), but got 0.", e.Message);
    }

    [Fact]
    public void CaptureLengthsAreValidatedByTheMods()
    {
        var slopes = new PinnedCapture<float>([0.5f, 0.25f]);
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => CpuAttention.Forward(Query, Key, Value, Output, new AlibiMods(slopes.Span), null));
        Assert.Equal("slopes", e.ParamName);
        Assert.StartsWith("Expected capture slopes.Length ≥ heads = 4, but got 2.", e.Message);
        GC.KeepAlive(slopes);
    }

    [Fact]
    public void UnsupportedElementTypeNamesTheType()
    {
        var query = new double[64];
        NotSupportedException e = Assert.Throws<NotSupportedException>(
            () => CpuAttention.Forward(
                new ReadOnlyTensorSpan<double>(query, [1, 1, 1, 64]), new ReadOnlyTensorSpan<double>(new double[64], [1, 1, 1, 64]),
                new ReadOnlyTensorSpan<double>(new double[64], [1, 1, 1, 64]), new TensorSpan<double>(new double[64], [1, 1, 1, 64]),
                new CausalMods(), null));
        Assert.Contains("System.Double", e.Message);
    }

    [Fact]
    public void ReferenceValidatesTheSameWay()
    {
        var key = new float[2 * 2 * 16 * 80];
        ArgumentException e = Assert.Throws<ArgumentException>(
            () => ReferenceAttention.Forward(Query, new ReadOnlyTensorSpan<float>(key, [2, 2, 16, 80]), Value, Output, new CausalMods(), null));
        Assert.Equal("key", e.ParamName);
        Assert.StartsWith("Expected key.Lengths[3] (headDim) = 64 to match query, but got 80.", e.Message);
    }
}
