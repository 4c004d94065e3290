using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The built-in variants whose mods the generator vectorizes: their row methods equal the scalar mods bit for bit (soft-cap's
/// tanh within a few ulp), and the variants it must leave scalar (a helper call, a per-key capture read) say so.
/// </summary>
public sealed class VectorModsTests
{
    [Fact]
    public void AlibiRowsMatchScalar()
    {
        Assert.True(Alibi.Mods.HasVectorScore);
        Assert.True(Alibi.Mods.HasVectorMask);
        var slopes = new PinnedCapture<float>([0.5f, -0.25f, 0f, -0f, 1e-3f, float.NaN, float.PositiveInfinity, 3f]);
        VectorRowChecker.Check(new Alibi.Mods(slopes.Span), heads: 8, seed: 1);
    }

    [Fact]
    public void CausalRowsMatchScalar()
    {
        Assert.True(Causal.Mods.HasVectorMask);
        VectorRowChecker.Check(new Causal.Mods(), heads: 4, seed: 2);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 40)]
    [InlineData(3, 1)]
    public void AttentionSinksRowsMatchScalar(int sinks, int window)
    {
        Assert.True(AttentionSinks.Mods.HasVectorMask);
        VectorRowChecker.Check(new AttentionSinks.Mods(sinks, window), heads: 4, seed: 3 + window);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70)]
    public void PrefixLMRowsMatchScalar(int prefix)
    {
        Assert.True(PrefixLM.Mods.HasVectorMask);
        VectorRowChecker.Check(new PrefixLM.Mods(prefix), heads: 4, seed: 4 + prefix);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(int.MinValue)]
    public void SlidingWindowRowsMatchScalar(int window)
    {
        Assert.True(SlidingWindow.Mods.HasVectorMask);
        VectorRowChecker.Check(new SlidingWindow.Mods(window), heads: 4, seed: 5);
    }

    [Theory]
    [InlineData(32, 4f)]
    [InlineData(7, 2.5f)]
    [InlineData(1, 1f)]
    [InlineData(-3, 2f)]
    [InlineData(int.MaxValue, 1e9f)]
    public void LocalWindow2DRowsMatchScalar(int width, float radius)
    {
        Assert.True(LocalWindow2D.Mods.HasVectorMask);
        VectorRowChecker.Check(new LocalWindow2D.Mods(width, radius), heads: 2, seed: 6 + width);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(7)]
    [InlineData(3)]
    [InlineData(1000003)]
    [InlineData(int.MaxValue)]
    [InlineData(-5)]
    [InlineData(int.MinValue)]
    public void LocalWindow2DRowsMatchScalarAtExtremePositions(int width)
    {
        // The vector form divides through doubles: positions near the ends of int exercise its exactness argument.
        var mods = new LocalWindow2D.Mods(width, 1e6f);
        (int Q, int KvFirst)[] positions = [(int.MinValue, int.MinValue), (int.MaxValue, int.MaxValue - 200), (-7, int.MinValue + 3), (123456789, -987654321), (int.MaxValue, 0)];
        foreach ((int q, int kvFirst) in positions)
        {
            float[] expected = new float[37];
            for (int j = 0; j < expected.Length; j++)
            {
                expected[j] = mods.Mask(0, 0, q, kvFirst + j) ? 0f : float.NegativeInfinity;
            }

            float[] row256 = new float[37];
            float[] row512 = new float[37];
            mods.MaskRow256(row256, 0, 0, q, kvFirst);
            mods.MaskRow512(row512, 0, 0, q, kvFirst);

            Assert.Equal(expected, row256);
            Assert.Equal(expected, row512);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void LocalWindow2DRowsThrowLikeScalarForADivisorOfZeroOrMinusOne(int width)
    {
        var mods = new LocalWindow2D.Mods(width, 3f);
        float[] row = new float[19];
        Type? expected = Record.Exception(() => mods.Mask(0, 0, int.MinValue, 5))?.GetType();
        Type? vector256 = Record.Exception(() => mods.MaskRow256(row, 0, 0, int.MinValue, 5))?.GetType();
        Type? vector512 = Record.Exception(() => mods.MaskRow512(row, 0, 0, int.MinValue, 5))?.GetType();

        Assert.Equal(expected, vector256);
        Assert.Equal(expected, vector512);
        if (width == 0)
        {
            Assert.Equal(typeof(DivideByZeroException), expected);
        }
    }

    [Theory]
    [InlineData(20f)]
    [InlineData(0.5f)]
    [InlineData(1e-3f)]
    [InlineData(-3f)]
    [InlineData(0f)]
    public void SoftCapRowsMatchScalarWithinFourUlp(float cap)
    {
        // MathF.Tanh (glibc: within 2 ulp) against SpecVectorMath.Tanh (within 1), each scaled by cap: at most 4 apart.
        Assert.True(SoftCap.Mods.HasVectorScore);
        VectorRowChecker.Check(new SoftCap.Mods(cap), heads: 2, seed: 9, scoreUlps: 4);
    }

    [Fact]
    public void ModsWithoutAnExactVectorFormStayScalar()
    {
        Assert.False(DocumentMask.Mods.HasVectorMask);
        Assert.False(RelativePositionBias.Mods.HasVectorScore);
        Assert.False(Dense.Mods.HasVectorScore);
    }
}
