using System;
using Xunit;

namespace NativeAttention.Tests.Gpu;

/// <summary>Host-side planning that needs no GPU: architecture choice, padding, decode splits, capture bytes.</summary>
public sealed class GpuPlanningTests
{
    [Theory]
    [InlineData(9, 0, 12, 8, "sm_90a")]
    [InlineData(9, 0, 13, 0, "sm_90a")]
    [InlineData(9, 0, 11, 8, "sm_90")]
    [InlineData(8, 0, 11, 8, "sm_80")]
    [InlineData(8, 9, 12, 4, "sm_89")]
    [InlineData(10, 0, 12, 8, "sm_100")]
    [InlineData(10, 0, 12, 4, "compute_90")]
    [InlineData(12, 0, 11, 8, "compute_90")]
    public void TheTargetIsTheExactArchWhereNvrtcKnowsIt(int major, int minor, int nvrtcMajor, int nvrtcMinor, string expected) =>
        Assert.Equal(expected, GpuArchitecture.Select(major, minor, new Version(nvrtcMajor, nvrtcMinor)));

    [Fact]
    public void DevicesBeforeAmpereAreNotSupported()
    {
        NotSupportedException error = Assert.Throws<NotSupportedException>(() => GpuArchitecture.Select(7, 5, new Version(12, 8)));

        Assert.Contains("8.0 or newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("7.5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(96, 128)]
    [InlineData(128, 128)]
    [InlineData(129, 256)]
    [InlineData(256, 256)]
    [InlineData(257, 0)]
    public void DimsPadUpToTheNextNativeSize(int dim, int padded) => Assert.Equal(padded, GpuCompileUnit.PaddedDim(dim));

    [Fact]
    public void DecodeSplitsCoverTheKeysInWholeTilesAndTargetTheSuggestedRange()
    {
        // 32 batch x 8 KV heads = 256 pairs, one 16-row block each (GQA group 4, one query): native/README found 4-8 splits best on the H200.
        var shape = new GpuAttentionShape(32, 32, 8, 1, 8191, 128, 128);

        GpuDecodePlan plan = GpuDecodePlan.Create(shape, 16, 32, 132);

        Assert.Equal(1, plan.RowBlocks);
        Assert.InRange(plan.NumSplits, 4, 8);
        Assert.Equal(0, plan.KeysPerSplit % 32);
        Assert.True((long)plan.NumSplits * plan.KeysPerSplit >= shape.SeqKV);
        Assert.True((long)(plan.NumSplits - 1) * plan.KeysPerSplit < shape.SeqKV);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1)]
    [InlineData(1, 8, 1, 16, 100_000)]
    [InlineData(64, 64, 64, 3, 17)]
    public void DecodePlansAreValidForSmallAndLargeCalls(int batch, int heads, int kvHeads, int seqQ, int seqKV)
    {
        var shape = new GpuAttentionShape(batch, heads, kvHeads, seqQ, seqKV, 64, 64);

        GpuDecodePlan plan = GpuDecodePlan.Create(shape, 16, 64, 132);

        Assert.InRange(plan.NumSplits, 1, GpuDecodePlan.MaxSplits);
        Assert.Equal(0, plan.KeysPerSplit % 64);
        Assert.True((long)plan.NumSplits * plan.KeysPerSplit >= seqKV);
        Assert.True((long)(plan.NumSplits - 1) * plan.KeysPerSplit < seqKV);
        Assert.Equal(((heads / kvHeads * seqQ) + 15) / 16, plan.RowBlocks);
    }

    [Fact]
    public void TheCaptureWriterPutsScalarsAtTheDescriptorsOffsets()
    {
        AttentionVariantDescriptor variant = LocalWindow2D.Descriptor;
        Span<byte> captures = stackalloc byte[variant.CapturesSize];
        captures.Fill(0xAB);

        var writer = new GpuCaptureWriter(variant, captures);
        writer.Write(0, 32);
        writer.Write(1, 5.5f);

        Assert.Equal(32, BitConverter.ToInt32(captures[variant.Captures[0].Offset..]));
        Assert.Equal(5.5f, BitConverter.ToSingle(captures[variant.Captures[1].Offset..]));
        Assert.Equal(8, variant.CapturesSize);
    }

    [Fact]
    public void TheCaptureWriterRejectsAValueOfTheWrongKindOrIndexOrSize()
    {
        byte[] captures = new byte[SoftCap.Descriptor.CapturesSize];

        ArgumentException kind = Assert.Throws<ArgumentException>(() => new GpuCaptureWriter(SoftCap.Descriptor, captures).Write(0, 3));
        ArgumentOutOfRangeException index = Assert.Throws<ArgumentOutOfRangeException>(() => new GpuCaptureWriter(SoftCap.Descriptor, captures).Write(1, 3f));
        ArgumentException size = Assert.Throws<ArgumentException>(() => new GpuCaptureWriter(SoftCap.Descriptor, new byte[2]));

        Assert.Equal("cap", kind.ParamName);
        Assert.Contains("Expected a Float value for the capture 'cap' of SoftCap; actual a Int value.", kind.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1)", index.Message, StringComparison.Ordinal);
        Assert.Equal("destination", size.ParamName);
    }
}
