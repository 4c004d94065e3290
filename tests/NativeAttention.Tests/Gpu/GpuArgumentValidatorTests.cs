using System;
using Xunit;

namespace NativeAttention.Tests.Gpu;

/// <summary>Validation of GPU calls; needs no GPU (tensors are described by layout, address and device ordinal).</summary>
public sealed class GpuArgumentValidatorTests
{
    private const ulong Base = 0x7f0000000000;

    [Fact]
    public void FloatTensorsAreRejectedBeforeAnythingElse()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(
            () => GpuAttention.Forward<float, Causal.Mods>(null!, null!, null!, null!, Causal.Descriptor, new byte[4], default, false, null, null));

        Assert.Contains("Half or BFloat16", error.Message, StringComparison.Ordinal);
        Assert.Contains("Single", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidGqaCallReturnsItsShape()
    {
        GpuAttentionShape shape = Validate(Q(2, 8, 17, 80), K(2, 2, 129, 80), K(2, 2, 129, 64, Base + 0x100000), O(2, 8, 17, 64));

        Assert.Equal(new GpuAttentionShape(2, 8, 2, 17, 129, 80, 64), shape);
        Assert.Equal(2 * 8 * 17, shape.QueryRows);
    }

    [Fact]
    public void ALengthMismatchNamesTheArgumentTheExpectedAndTheActualLength()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(Q(1, 4, 17, 64), K(1, 2, 33, 32), K(1, 2, 33, 64), O(1, 4, 17, 64)));

        Assert.Equal("key", error.ParamName);
        Assert.StartsWith("Expected key.Lengths[3] (headDim) = 64 to match query, but got 32.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KvHeadsMustDivideHeads()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(Q(1, 6, 17, 64), K(1, 4, 33, 64), K(1, 4, 33, 64), O(1, 6, 17, 64)));

        Assert.Equal("key", error.ParamName);
        Assert.Contains("(kvHeads) to divide query.Lengths[1] (heads) = 6, but got 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RankMustBeFour()
    {
        var flat = new GpuTensorView(DeviceTensorLayout.RowMajor([17, 64]), Base, 0);

        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(flat, K(1, 1, 33, 64), K(1, 1, 33, 64), O(1, 1, 17, 64)));

        Assert.Equal("query", error.ParamName);
        Assert.Contains("rank 4 ([batch, heads, seqQ, headDim]), but got rank 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StridesMustBeMultiplesOfEightElements()
    {
        var padded = new GpuTensorView(DeviceTensorLayout.Create([1, 1, 17, 64], [17 * 68, 17 * 68, 68, 1]), Base, 0);

        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(padded, K(1, 1, 33, 64), K(1, 1, 33, 64), O(1, 1, 17, 64)));

        Assert.Equal("query", error.ParamName);
        Assert.Contains("query.Strides[2] to be a multiple of 8 elements", error.Message, StringComparison.Ordinal);
        Assert.Contains("but got 68", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorsOfAPaddedDimNeedNoRowAlignment()
    {
        var query = new GpuTensorView(DeviceTensorLayout.RowMajor([1, 2, 17, 36]), Base + 2, 0);
        var key = new GpuTensorView(DeviceTensorLayout.RowMajor([1, 1, 33, 36]), Base + 0x100002, 0);
        var output = new GpuTensorView(DeviceTensorLayout.RowMajor([1, 2, 17, 20]), Base + 0x800006, 0);

        GpuAttentionShape shape = Validate(query, key, new GpuTensorView(DeviceTensorLayout.RowMajor([1, 1, 33, 20]), Base + 0x200002, 0), output);
        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(query, key, K(1, 1, 33, 64, Base + 0x200002), O(1, 2, 17, 64)));

        Assert.Equal(new GpuAttentionShape(1, 2, 1, 17, 33, 36, 20), shape);
        Assert.Equal("value", error.ParamName);
    }

    [Fact]
    public void TheLastDimensionMustBeContiguous()
    {
        var strided = new GpuTensorView(DeviceTensorLayout.Create([1, 1, 33, 64], [64 * 2 * 33, 64 * 2 * 33, 128, 2]), Base, 0);

        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(Q(1, 1, 17, 64), strided, K(1, 1, 33, 64), O(1, 1, 17, 64)));

        Assert.Equal("key", error.ParamName);
        Assert.Contains("key.Strides[3] = 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BasePointersMustBeSixteenByteAligned()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => Validate(Q(1, 1, 17, 64), K(1, 1, 33, 64), K(1, 1, 33, 64, Base + 0x200008), O(1, 1, 17, 64)));

        Assert.Equal("value", error.ParamName);
        Assert.Contains("16-byte aligned", error.Message, StringComparison.Ordinal);
        Assert.Contains("0x7f0000200008", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorsMustShareOneDeviceAndItsStream()
    {
        var elsewhere = new GpuTensorView(DeviceTensorLayout.RowMajor([1, 1, 33, 64]), Base + 0x100000, 1);

        ArgumentException device = Assert.Throws<ArgumentException>(() => Validate(Q(1, 1, 17, 64), elsewhere, K(1, 1, 33, 64), O(1, 1, 17, 64)));
        ArgumentException stream = Assert.Throws<ArgumentException>(
            () => GpuArgumentValidator.Validate(Q(1, 1, 17, 64), K(1, 1, 33, 64), K(1, 1, 33, 64, Base + 0x200000), O(1, 1, 17, 64), 2, null, 3));

        Assert.Equal("key", device.ParamName);
        Assert.Contains("on query's device 0, but got device 1", device.Message, StringComparison.Ordinal);
        Assert.Equal("stream", stream.ParamName);
        Assert.Contains("but got a stream of device 3", stream.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOutputMustNotOverlapAnInput()
    {
        var overlapping = new GpuTensorView(DeviceTensorLayout.RowMajor([1, 1, 17, 64]), Base + 64, 0);

        ArgumentException error = Assert.Throws<ArgumentException>(() => Validate(Q(1, 1, 17, 64), K(1, 1, 33, 64), K(1, 1, 33, 64), overlapping));

        Assert.Equal("query", error.ParamName);
        Assert.Contains("not to overlap query's", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadDimsAboveTwoHundredFiftySixAreNotSupported()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => Validate(Q(1, 1, 17, 320), K(1, 1, 33, 320), K(1, 1, 33, 64), O(1, 1, 17, 64)));

        Assert.Contains("at most 256", error.Message, StringComparison.Ordinal);
        Assert.Contains("64, 128 and 256 run natively", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 320", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.125f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void TheScaleMustBePositiveAndFinite(float scale)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => Validate(Q(1, 1, 17, 64), K(1, 1, 33, 64), K(1, 1, 33, 64), O(1, 1, 17, 64), new AttentionOptions { Scale = scale }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("options.Scale to be finite and greater than 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostLogSumExpIsRejectedWithThePointerToTheDeviceOne()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => Validate(Q(1, 1, 17, 64), K(1, 1, 33, 64), K(1, 1, 33, 64), O(1, 1, 17, 64), new AttentionOptions { LogSumExp = new float[17] }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("DeviceLogSumExp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CapturesMustHaveTheDescriptorsSize()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => GpuAttention.Forward<Half, Alibi.Mods>(null!, null!, null!, null!, Alibi.Descriptor, new byte[8], default, false, null, null));

        Assert.Equal("captures", error.ParamName);
        Assert.Contains($"Expected {Alibi.Descriptor.CapturesSize} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGeneratedGpuOverloadNamesAMissingSpanCapture()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(
            () => Alibi.Forward((DeviceTensor<Half>)null!, null!, null!, null!, (DeviceBuffer<float>)null!));

        Assert.Equal("slopes", error.ParamName);
    }

    [Fact]
    public void AGeneratedGpuOverloadNamesAMissingTensor()
    {
        ArgumentNullException error = Assert.Throws<ArgumentNullException>(
            () => SoftCap.Forward((DeviceTensor<BFloat16>)null!, null!, null!, null!, 30f));

        Assert.Equal("query", error.ParamName);
    }

    private static GpuAttentionShape Validate(GpuTensorView q, GpuTensorView k, GpuTensorView v, GpuTensorView o, AttentionOptions? options = null) =>
        GpuArgumentValidator.Validate(q, k, v, o, 2, options, null);

    private static GpuTensorView Q(int batch, int heads, int seq, int dim) => new(DeviceTensorLayout.RowMajor([batch, heads, seq, dim]), Base, 0);

    private static GpuTensorView K(int batch, int heads, int seq, int dim, ulong pointer = Base + 0x100000) =>
        new(DeviceTensorLayout.RowMajor([batch, heads, seq, dim]), pointer, 0);

    private static GpuTensorView O(int batch, int heads, int seq, int dim) => new(DeviceTensorLayout.RowMajor([batch, heads, seq, dim]), Base + 0x800000, 0);
}
