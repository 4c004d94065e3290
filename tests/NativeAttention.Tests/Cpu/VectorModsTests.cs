using System;
using NativeAttention.Tests.Support;
using Xunit;

namespace NativeAttention.Tests.Cpu;

/// <summary>
/// The built-in variants whose mods the generator vectorizes: their row methods equal the scalar mods bit for bit (soft-cap's
/// tanh within a few ulp), and the variants it must leave scalar say so.
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

    [Theory]
    [InlineData(16)]
    [InlineData(3)]
    [InlineData(0)]
    public void RelativePositionBiasRowsMatchScalar(int maxDistance)
    {
        // The bias is read at a per-key index: the rows gather it, and clamp the distance with Min and Max.
        Assert.True(RelativePositionBias.Mods.HasVectorScore);
        const int Heads = 3;
        var random = new Random(maxDistance);
        float[] values = new float[Heads * ((2 * maxDistance) + 1)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }

        var bias = new PinnedCapture<float>(values);
        VectorRowChecker.Check(new RelativePositionBias.Mods(bias.Span, maxDistance), heads: Heads, seed: 20 + maxDistance);
    }

    [Theory]
    [InlineData(4, 1, 0)]
    [InlineData(4, 1, 2)]
    [InlineData(-1, 9, 0)]
    public void RelativePositionBiasRowsThrowLikeScalar(int maxDistance, int biasLength, int head)
    {
        // A bias too short for the head (an index out of range) or crossed clamp bounds: the rows throw what the scalar
        // mod throws, having written the same scores before it.
        var bias = new PinnedCapture<float>(new float[biasLength]);
        var mods = new RelativePositionBias.Mods(bias.Span, maxDistance);
        float[] scalar = new float[37];
        float[] row256 = new float[37];
        float[] row512 = new float[37];
        Type? expected = Record.Exception(() => ScoreEach(mods, scalar, head))?.GetType();
        Type? vector256 = Record.Exception(() => mods.ScoreRow256(row256, 0, head, 5, -3))?.GetType();
        Type? vector512 = Record.Exception(() => mods.ScoreRow512(row512, 0, head, 5, -3))?.GetType();

        Assert.NotNull(expected);
        Assert.Equal(expected, vector256);
        Assert.Equal(expected, vector512);
        Assert.Equal(scalar, row256);
        Assert.Equal(scalar, row512);
    }

    [Fact]
    public void DocumentMaskRowsMatchScalar()
    {
        // documentIds[kv] is gathered. Positions stay within the ids, as in every kernel call (ValidateCaptures checks
        // that the ids cover them), so that documentIds[q], read once per row, is in range.
        Assert.True(DocumentMask.Mods.HasVectorMask);
        var random = new Random(31);
        int[] values = new int[300];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i / random.Next(1, 40);
        }

        var ids = new PinnedCapture<int>(values);
        var mods = new DocumentMask.Mods(ids.Span);
        foreach (int count in VectorRowChecker.Counts)
        {
            for (int round = 0; round < 40; round++)
            {
                int q = random.Next(0, 200), kvFirst = random.Next(0, 200);
                float[] expected = new float[count];
                for (int j = 0; j < count; j++)
                {
                    expected[j] = mods.Mask(0, 0, q, kvFirst + j) ? 0f : float.NegativeInfinity;
                }

                float[] row256 = new float[count];
                float[] row512 = new float[count];
                mods.MaskRow256(row256, 0, 0, q, kvFirst);
                mods.MaskRow512(row512, 0, 0, q, kvFirst);
                Assert.Equal(expected, row256);
                Assert.Equal(expected, row512);
            }
        }
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(290)]
    public void DocumentMaskRowsThrowLikeScalarOutsideTheIds(int kvFirst)
    {
        var ids = new PinnedCapture<int>(new int[300]);
        var mods = new DocumentMask.Mods(ids.Span);
        float[] row = new float[20];
        Type? expected = Record.Exception(() =>
        {
            for (int j = 0; j < row.Length; j++)
            {
                _ = mods.Mask(0, 0, 7, kvFirst + j);
            }
        })?.GetType();

        Assert.Equal(typeof(IndexOutOfRangeException), expected);
        Assert.Equal(expected, Record.Exception(() => mods.MaskRow256(row, 0, 0, 7, kvFirst))?.GetType());
        Assert.Equal(expected, Record.Exception(() => mods.MaskRow512(row, 0, 0, 7, kvFirst))?.GetType());
    }

    [Fact]
    public void ASpecWithoutModsHasNoVectorForm()
    {
        Assert.False(Dense.Mods.HasVectorScore);
        Assert.False(Dense.Mods.HasVectorMask);
    }

    private static void ScoreEach(RelativePositionBias.Mods mods, float[] row, int head)
    {
        for (int j = 0; j < row.Length; j++)
        {
            row[j] = mods.Score(row[j], 0, head, 5, -3 + j);
        }
    }
}
