using System;
using Xunit;

namespace NativeAttention.Tests.Generators;

/// <summary>Generated capture validation and fingerprints, and the ALiBi slope helper.</summary>
public sealed unsafe class CaptureTests
{
    [Fact]
    public void ValidateCapturesNamesTheShortCapture()
    {
        float[] slopes = new float[3];
        fixed (float* pointer = slopes)
        {
            var mods = new Alibi.Mods(new CaptureSpan<float>(pointer, slopes.Length));
            mods.ValidateCaptures(batch: 2, heads: 3, seqQ: 5, seqKV: 9);
            var error = Assert.Throws<ArgumentException>(() => mods.ValidateCaptures(batch: 2, heads: 4, seqQ: 5, seqKV: 9));
            Assert.Equal("slopes", error.ParamName);
            Assert.Contains("4", error.Message, StringComparison.Ordinal);
            Assert.Contains("3", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DocumentIdsMustCoverEveryKeyPosition()
    {
        int[] ids = new int[10];
        fixed (int* pointer = ids)
        {
            var mods = new DocumentMask.Mods(new CaptureSpan<int>(pointer, ids.Length));
            mods.ValidateCaptures(batch: 1, heads: 1, seqQ: 4, seqKV: 10);
            var error = Assert.Throws<ArgumentException>(() => mods.ValidateCaptures(batch: 1, heads: 1, seqQ: 4, seqKV: 11));
            Assert.Equal("documentIds", error.ParamName);
        }
    }

    [Fact]
    public void FingerprintChangesWithEveryCaptureValue()
    {
        Assert.Equal(new SlidingWindow.Mods(8).CaptureFingerprint(), new SlidingWindow.Mods(8).CaptureFingerprint());
        Assert.NotEqual(new SlidingWindow.Mods(8).CaptureFingerprint(), new SlidingWindow.Mods(9).CaptureFingerprint());
        Assert.NotEqual(new AttentionSinks.Mods(4, 8).CaptureFingerprint(), new AttentionSinks.Mods(8, 4).CaptureFingerprint());

        int[] a = [0, 0, 1, 1], b = [0, 1, 1, 1];
        fixed (int* pa = a, pb = b)
        {
            ulong first = new DocumentMask.Mods(new CaptureSpan<int>(pa, a.Length)).CaptureFingerprint();
            Assert.NotEqual(first, new DocumentMask.Mods(new CaptureSpan<int>(pb, b.Length)).CaptureFingerprint());
            Assert.NotEqual(first, new DocumentMask.Mods(new CaptureSpan<int>(pa, 3)).CaptureFingerprint());
        }
    }

    [Fact]
    public void GeometricSlopesMatchTheAlibiReference()
    {
        // Reference: ALiBi's get_slopes (power of two: 2^(-8i/n); otherwise the next power's interleaved slopes).
        Assert.Equal([0.5f, 0.25f, 0.125f, 0.0625f, 0.03125f, 0.015625f, 0.0078125f, 0.00390625f], Alibi.GeometricSlopes(8));
        float[] twelve = Alibi.GeometricSlopes(12);
        Assert.Equal(Alibi.GeometricSlopes(8), twelve[..8]);
        float[] extra = [MathF.Pow(2, -0.5f), MathF.Pow(2, -1.5f), MathF.Pow(2, -2.5f), MathF.Pow(2, -3.5f)];
        for (int i = 0; i < extra.Length; i++)
        {
            Assert.Equal(extra[i], twelve[8 + i], 6);
        }

        Assert.Equal([MathF.Pow(2, -8f)], Alibi.GeometricSlopes(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Alibi.GeometricSlopes(0));
    }

    [Fact]
    public void DescriptorDescribesCapturesAndLayout()
    {
        AttentionVariantDescriptor descriptor = RelativePositionBias.Descriptor;
        Assert.Equal("RelativePositionBias", descriptor.Name);
        Assert.True(descriptor.HasScoreMod);
        Assert.False(descriptor.HasMaskMod);
        Assert.Collection(
            descriptor.Captures,
            bias =>
            {
                Assert.Equal(("bias", AttentionCaptureKind.FloatSpan, 0, 8), (bias.Name, bias.Kind, bias.Offset, bias.LengthOffset));
            },
            maxDistance =>
            {
                Assert.Equal(("maxDistance", AttentionCaptureKind.Int, 12, -1), (maxDistance.Name, maxDistance.Kind, maxDistance.Offset, maxDistance.LengthOffset));
            });
        // Its bias read is at a computed index, so the fault word pointer follows the captures at 16.
        Assert.Equal(24, descriptor.CapturesSize);
        Assert.Same(RelativePositionBias.CudaSource, descriptor.CudaSource);
        Assert.Contains("struct na_captures", descriptor.CudaSource, StringComparison.Ordinal);
        Assert.Equal(4, Causal.Descriptor.CapturesSize);

        // Scalars are launch arguments: read from the struct, never baked into the source.
        Assert.Contains("na_c.window", SlidingWindow.CudaSource, StringComparison.Ordinal);
        Assert.Contains("    int window;", SlidingWindow.CudaSource, StringComparison.Ordinal);
        Assert.Contains("int na_unused;", Causal.CudaSource, StringComparison.Ordinal);
    }
}
