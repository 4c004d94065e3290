using System;
using System.Collections.Generic;
using Xunit;

namespace NativeAttention.Tests.Tensors;

public sealed class BFloat16Tests
{
    [Fact]
    public void EveryBitPatternWidensExactlyAndRoundTrips()
    {
        for (int i = 0; i <= ushort.MaxValue; i++)
        {
            BFloat16 value = BFloat16.FromRawBits((ushort)i);
            float widened = (float)value;
            BFloat16 back = (BFloat16)widened;
            if (BFloat16.IsNaN(value))
            {
                Assert.True(float.IsNaN(widened), $"0x{i:X4} widened to a non-NaN");
                Assert.True(BFloat16.IsNaN(back), $"0x{i:X4} came back as 0x{back.RawBits:X4}, not a NaN");
                Assert.Equal(i & 0x8000, back.RawBits & 0x8000);
            }
            else
            {
                Assert.Equal(BFloat16Reference.Decode((ushort)i), (double)widened);
                Assert.Equal((ushort)i, back.RawBits);
            }
        }
    }

    [Fact]
    public void RoundingFromFloatMatchesDoubleReferenceOnRandomBitPatterns()
    {
        Random random = new(20261129);
        for (int i = 0; i < 2_000_000; i++)
        {
            AssertRoundsLikeReference((uint)random.NextInt64(0, 1L << 32));
        }
    }

    [Fact]
    public void RoundingFromFloatMatchesDoubleReferenceNearEveryKindOfTie()
    {
        Random random = new(7);
        for (int i = 0; i < 200_000; i++)
        {
            uint upper = (uint)random.Next(0, 1 << 16) << 16;
            foreach (uint low in new uint[] { 0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF })
            {
                AssertRoundsLikeReference(upper | low);
            }
        }
    }

    public static IEnumerable<TheoryDataRow<uint, ushort>> EdgeCases() =>
    [
        new(0x0000_0000u, 0x0000), // +0
        new(0x8000_0000u, 0x8000), // -0
        new(0x3F80_8000u, 0x3F80), // tie, even below: stays
        new(0x3F81_8000u, 0x3F82), // tie, odd below: rounds up to even
        new(0x3F80_8001u, 0x3F81), // just above a tie
        new(0x3F81_7FFFu, 0x3F81), // just below a tie
        new(0xBF81_8000u, 0xBF82), // negative tie
        new(0x0000_0001u, 0x0000), // smallest float subnormal rounds to zero
        new(0x0000_8000u, 0x0000), // subnormal tie to even zero
        new(0x0001_8000u, 0x0002), // subnormal tie up to even
        new(0x007F_FFFFu, 0x0080), // largest float subnormal rounds up to the smallest normal
        new(0x807F_FFFFu, 0x8080),
        new(0x7F7F_7FFFu, 0x7F7F), // just below the overflow midpoint
        new(0x7F7F_8000u, 0x7F80), // overflow midpoint, odd below: infinity
        new(0x7F7F_FFFFu, 0x7F80), // largest finite float rounds to infinity
        new(0xFF7F_FFFFu, 0xFF80),
        new(0x7F80_0000u, 0x7F80), // +infinity
        new(0xFF80_0000u, 0xFF80), // -infinity
    ];

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void RoundingFromFloatHandlesEdgeCases(uint floatBits, ushort expected)
    {
        Assert.Equal(expected, BFloat16Reference.RoundToBits(BitConverter.UInt32BitsToSingle(floatBits)));
        Assert.Equal(expected, ((BFloat16)BitConverter.UInt32BitsToSingle(floatBits)).RawBits);
    }

    [Theory]
    [InlineData(0x7F80_0001u)] // signaling NaN, payload only in the low bits: truncation would give +infinity
    [InlineData(0xFF80_0001u)]
    [InlineData(0x7F80_FFFFu)]
    [InlineData(0x7F80_8000u)]
    [InlineData(0x7FFF_FFFFu)] // all-ones payload: adding the rounding bias would carry into the sign
    [InlineData(0xFFFF_FFFFu)]
    [InlineData(0x7FC0_0000u)]
    [InlineData(0x7F81_0000u)]
    public void NaNStaysNaNWithItsSign(uint floatBits)
    {
        BFloat16 rounded = (BFloat16)BitConverter.UInt32BitsToSingle(floatBits);
        Assert.True(BFloat16.IsNaN(rounded), $"0x{floatBits:X8} became 0x{rounded.RawBits:X4}");
        Assert.Equal(floatBits >> 31, (uint)rounded.RawBits >> 15);
    }

    [Fact]
    public void RoundingFromDoubleIsCorrectlyRoundedAcrossTheFloatDoubleRoundingTrap()
    {
        Random random = new(11);
        for (int i = 0; i < 1_000_000; i++)
        {
            // Values a hair above a bfloat16 tie: rounding to float first would land on the tie and then go to even.
            ushort upper = (ushort)random.Next(0, 0x7F7F);
            double tie = BFloat16Reference.Decode(upper) + (BFloat16Reference.Decode((ushort)(upper + 1)) - BFloat16Reference.Decode(upper)) / 2;
            double above = tie + (Math.BitIncrement(tie) - tie) * random.Next(1, 1000);
            double below = tie - (Math.BitIncrement(tie) - tie) * random.Next(1, 1000);
            double anywhere = Math.ScaleB(random.NextDouble() * 2 - 1, random.Next(-140, 129));
            foreach (double value in new[] { above, below, -above, anywhere })
            {
                Assert.Equal(BFloat16Reference.RoundToBits(value), ((BFloat16)value).RawBits);
            }
        }
    }

    [Fact]
    public void RoundingFromDoubleOverflowsAndUnderflowsLikeTheReference()
    {
        foreach (double value in new[] { 1e300, -1e300, 3.4e38, 3.3961e38, 1e-300, -1e-300, 4.6e-41, double.Epsilon, 0.0, -0.0 })
        {
            Assert.Equal(BFloat16Reference.RoundToBits(value), ((BFloat16)value).RawBits);
        }

        Assert.True(BFloat16.IsNaN((BFloat16)double.NaN));
    }

    [Fact]
    public void EqualityAndHashingAgreeWithComparison()
    {
        BFloat16 positiveZero = BFloat16.FromRawBits(0x0000);
        BFloat16 negativeZero = BFloat16.FromRawBits(0x8000);
        BFloat16 quietNaN = BFloat16.FromRawBits(0x7FC0);
        BFloat16 otherNaN = BFloat16.FromRawBits(0xFF81);

        Assert.True(positiveZero.Equals(negativeZero));
        Assert.Equal(positiveZero.GetHashCode(), negativeZero.GetHashCode());
        Assert.True(quietNaN.Equals(otherNaN));
        Assert.Equal(0, quietNaN.CompareTo(otherNaN));
        Assert.Equal(quietNaN.GetHashCode(), otherNaN.GetHashCode());
        Assert.False(quietNaN == otherNaN);
        Assert.False(BFloat16.One.Equals(BFloat16.FromRawBits(0x3F81)));
    }

    private static void AssertRoundsLikeReference(uint floatBits)
    {
        float value = BitConverter.UInt32BitsToSingle(floatBits);
        ushort actual = ((BFloat16)value).RawBits;
        if (float.IsNaN(value))
        {
            Assert.True(BFloat16.IsNaN(BFloat16.FromRawBits(actual)), $"NaN 0x{floatBits:X8} became 0x{actual:X4}");
            return;
        }

        ushort expected = BFloat16Reference.RoundToBits(value);
        if (expected != actual)
        {
            Assert.Fail($"float 0x{floatBits:X8} ({value:R}): expected 0x{expected:X4}, actual 0x{actual:X4}");
        }
    }
}
