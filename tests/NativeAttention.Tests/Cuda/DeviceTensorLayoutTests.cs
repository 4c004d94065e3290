using System;
using Xunit;

namespace NativeAttention.Tests.CudaRuntime;

public sealed class DeviceTensorLayoutTests
{
    [Fact]
    public void RowMajorHasPackedStrides()
    {
        DeviceTensorLayout layout = DeviceTensorLayout.RowMajor([2, 3, 4]);

        Assert.Equal([12, 4, 1], layout.Strides.ToArray());
        Assert.Equal(24, layout.FlattenedLength);
        Assert.Equal(24, layout.RequiredBufferLength);
        Assert.True(layout.IsRowMajorContiguous);
    }

    [Fact]
    public void APaddedLayoutNeedsItsWholeSpanPlusOffset()
    {
        DeviceTensorLayout layout = DeviceTensorLayout.Create([2, 3], [8, 2], offset: 5);

        Assert.Equal(6, layout.FlattenedLength);
        Assert.Equal(8 + 4 + 1, layout.ElementSpan);
        Assert.Equal(5 + 13, layout.RequiredBufferLength);
        Assert.False(layout.IsRowMajorContiguous);
    }

    [Fact]
    public void APermutedLayoutIsValidButNotRowMajor()
    {
        DeviceTensorLayout layout = DeviceTensorLayout.Create([4, 3], [1, 4]);

        Assert.Equal(12, layout.RequiredBufferLength);
        Assert.False(layout.IsRowMajorContiguous);
    }

    [Fact]
    public void AnEmptyTensorNeedsNoElements()
    {
        DeviceTensorLayout layout = DeviceTensorLayout.RowMajor([3, 0, 5]);

        Assert.Equal(0, layout.FlattenedLength);
        Assert.Equal(0, layout.RequiredBufferLength);
    }

    [Fact]
    public void ANegativeLengthIsRejectedWithItsIndexAndValue()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.RowMajor([2, -3, 4]));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("lengths[1] >= 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("actual -3 in [2, -3, 4]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RankZeroIsRejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.RowMajor([]));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("actual rank 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStrideCountThatDiffersFromTheRankIsRejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.Create([2, 3, 4], [12, 1]));

        Assert.Equal("strides", error.ParamName);
        Assert.Contains("Expected one stride per dimension (3 for lengths [2, 3, 4]); actual 2: [12, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANegativeStrideIsRejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.Create([2, 3], [3, -1]));

        Assert.Equal("strides", error.ParamName);
        Assert.Contains("strides[1] >= 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("actual -1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingStridesAreRejectedNamingBothDimensions()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.Create([2, 8], [4, 1]));

        Assert.Equal("strides", error.ParamName);
        Assert.Contains("actual [4, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 0 (length 2, stride 4) needs a stride >= 8", error.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 1 (length 8, stride 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABroadcastStrideIsRejected()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.Create([4, 3], [0, 1]));

        Assert.Equal("strides", error.ParamName);
        Assert.Contains("stride 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStrideOnALengthOneDimensionIsIgnoredForOverlap()
    {
        DeviceTensorLayout layout = DeviceTensorLayout.Create([1, 3], [0, 1]);

        Assert.True(layout.IsRowMajorContiguous);
        Assert.Equal(3, layout.RequiredBufferLength);
    }

    [Fact]
    public void ANegativeOffsetIsRejected()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceTensorLayout.Create([2], [1], offset: -1));

        Assert.Equal("offset", error.ParamName);
    }

    [Fact]
    public void AnOverflowingShapeIsRejected()
    {
        nint huge = (nint)Math.Pow(2, 40);
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensorLayout.RowMajor([huge, huge]));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("overflow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedHostLengthsAreRejectedShowingBoth()
    {
        DeviceTensorLayout layout = DeviceTensorLayout.RowMajor([2, 3]);

        ArgumentException error = Assert.Throws<ArgumentException>(() => layout.ValidateSameLengths([3, 2], "source"));

        Assert.Equal("source", error.ParamName);
        Assert.Contains("Expected lengths [2, 3]; actual [3, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllocationValidatesTheShapeBeforeTouchingTheDevice()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DeviceTensor<float>.Allocate(null!, [4, -2]));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("Expected lengths[1] >= 0; actual -2 in [4, -2]", error.Message, StringComparison.Ordinal);
    }
}
