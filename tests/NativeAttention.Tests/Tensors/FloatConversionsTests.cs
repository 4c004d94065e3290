using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Xunit;

namespace NativeAttention.Tests.Tensors;

public sealed class FloatConversionsTests
{
    private const int MaxLength = 300;
    private const int MaxOffset = 4;
    private const ushort PoisonHalfBits = 0x7E5A;
    private const uint PoisonFloatBits = 0x7FC0_5A5Au;

    private delegate void Widening(string path, ReadOnlySpan<ushort> source, Span<uint> destination);

    public static IEnumerable<TheoryDataRow<string>> Paths() => [new("public"), new("512"), new("256"), new("128")];

    [Theory]
    [MemberData(nameof(Paths))]
    public void BFloat16ToSingleEqualsScalarForEveryLengthAndOffset(string path) =>
        AssertWidensLikeScalarForEveryLengthAndOffset(path, WidenBFloat16, bits => BitConverter.SingleToUInt32Bits((float)BFloat16.FromRawBits(bits)), seed: 1);

    [Theory]
    [MemberData(nameof(Paths))]
    public void SingleToBFloat16EqualsScalarForEveryLengthAndOffset(string path)
    {
        uint[] source = RandomFloatBitsWithTiesAndNaNs(MaxLength + MaxOffset, seed: 2);
        for (int offset = 0; offset < MaxOffset; offset++)
        {
            for (int length = 0; length <= MaxLength; length++)
            {
                ushort[] destination = new ushort[MaxLength + MaxOffset + 1];
                Array.Fill(destination, PoisonHalfBits);
                ReadOnlySpan<uint> input = source.AsSpan(offset, length);
                Span<ushort> output = destination.AsSpan(MaxOffset - offset, length);
                NarrowToBFloat16(path, input, output);

                for (int i = 0; i < length; i++)
                {
                    ushort expected = ((BFloat16)BitConverter.UInt32BitsToSingle(input[i])).RawBits;
                    Assert.True(expected == output[i], $"path {path}, offset {offset}, length {length}, element {i} (0x{input[i]:X8}): expected 0x{expected:X4}, actual 0x{output[i]:X4}");
                }

                AssertUntouchedOutside(destination, MaxOffset - offset, length, PoisonHalfBits);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryBFloat16BitPatternRoundTripsThroughTheSpanConversions(string path)
    {
        ushort[] all = new ushort[65536];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (ushort)i;
        }

        uint[] widened = new uint[all.Length];
        ushort[] back = new ushort[all.Length];
        WidenBFloat16(path, all, widened);
        NarrowToBFloat16(path, widened, back);

        for (int i = 0; i < all.Length; i++)
        {
            Assert.Equal((uint)i << 16, widened[i]);
            if (BFloat16.IsNaN(BFloat16.FromRawBits((ushort)i)))
            {
                Assert.True(BFloat16.IsNaN(BFloat16.FromRawBits(back[i])), $"NaN 0x{i:X4} came back as 0x{back[i]:X4}");
            }
            else
            {
                Assert.Equal((ushort)i, back[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void HalfToSingleEqualsScalarForEveryBitPatternLengthAndOffset(string path)
    {
        ushort[] all = new ushort[65536];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (ushort)i;
        }

        uint[] widened = new uint[all.Length];
        WidenHalf(path, all, widened);
        for (int i = 0; i < all.Length; i++)
        {
            uint expected = HalfAsSingleBits((ushort)i);
            Assert.True(expected == widened[i], $"path {path}, half 0x{i:X4}: expected 0x{expected:X8}, actual 0x{widened[i]:X8}");
        }

        AssertWidensLikeScalarForEveryLengthAndOffset(path, WidenHalf, HalfAsSingleBits, seed: 6);
    }

    [Fact]
    public void EveryHalfBitPatternRoundTripsAndMatchesTheScalarConversions()
    {
        Half[] all = new Half[65536];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        }

        float[] widened = new float[all.Length];
        Half[] back = new Half[all.Length];
        FloatConversions.ToSingle(all, widened);
        FloatConversions.ToHalf(widened, back);

        for (int i = 0; i < all.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits((float)all[i]), BitConverter.SingleToUInt32Bits(widened[i]));
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)widened[i]), BitConverter.HalfToUInt16Bits(back[i]));
            if (Half.IsNaN(all[i]))
            {
                Assert.True(float.IsNaN(widened[i]) && Half.IsNaN(back[i]), $"NaN 0x{i:X4} lost its NaN-ness");
            }
            else
            {
                Assert.Equal((ushort)i, BitConverter.HalfToUInt16Bits(back[i]));
                Assert.Equal((double)all[i], (double)widened[i]);
            }
        }
    }

    [Fact]
    public void HalfSpanConversionsEqualScalarForEveryLengthAndOffset()
    {
        uint[] floatBits = RandomFloatBitsWithTiesAndNaNs(MaxLength + MaxOffset, seed: 3);
        float[] floats = MemoryMarshal.Cast<uint, float>(floatBits).ToArray();
        Random random = new(4);
        Half[] halves = new Half[MaxLength + MaxOffset];
        for (int i = 0; i < halves.Length; i++)
        {
            halves[i] = BitConverter.UInt16BitsToHalf((ushort)random.Next(0, 65536));
        }

        for (int offset = 0; offset < MaxOffset; offset++)
        {
            for (int length = 0; length <= MaxLength; length++)
            {
                Half[] narrowed = new Half[length + 1];
                narrowed[length] = BitConverter.UInt16BitsToHalf(PoisonHalfBits);
                FloatConversions.ToHalf(floats.AsSpan(offset, length), narrowed);
                float[] widened = new float[length + 1];
                widened[length] = BitConverter.UInt32BitsToSingle(PoisonFloatBits);
                FloatConversions.ToSingle(halves.AsSpan(offset, length), widened);

                for (int i = 0; i < length; i++)
                {
                    Assert.Equal(BitConverter.HalfToUInt16Bits((Half)floats[offset + i]), BitConverter.HalfToUInt16Bits(narrowed[i]));
                    Assert.Equal(BitConverter.SingleToUInt32Bits((float)halves[offset + i]), BitConverter.SingleToUInt32Bits(widened[i]));
                }

                Assert.Equal(PoisonHalfBits, BitConverter.HalfToUInt16Bits(narrowed[length]));
                Assert.Equal(PoisonFloatBits, BitConverter.SingleToUInt32Bits(widened[length]));
            }
        }
    }

    [Fact]
    public void SingleToHalfEqualsScalarOnHalfTiesSubnormalsAndOverflow()
    {
        Random random = new(5);
        float[] floats = new float[1 << 20];
        for (int i = 0; i < floats.Length; i++)
        {
            // Exponents from below the Half subnormal range to above its largest finite value; the low 13 bits sit
            // on, just below or just above the point halfway between two Half values.
            uint sign = (uint)random.Next(0, 2) << 31;
            uint exponent = (uint)random.Next(100, 146) << 23;
            uint upperMantissa = (uint)random.Next(0, 1 << 10) << 13;
            uint low = (i % 4) switch { 0 => 0x0FFFu, 1 => 0x1000u, 2 => 0x1001u, _ => (uint)random.Next(0, 1 << 13) };
            floats[i] = BitConverter.UInt32BitsToSingle(sign | exponent | upperMantissa | low);
        }

        Half[] narrowed = new Half[floats.Length];
        FloatConversions.ToHalf(floats, narrowed);

        for (int i = 0; i < floats.Length; i++)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)floats[i]);
            ushort actual = BitConverter.HalfToUInt16Bits(narrowed[i]);
            Assert.True(expected == actual, $"float {floats[i]:R}: expected 0x{expected:X4}, actual 0x{actual:X4}");
        }
    }

    [Fact]
    public void ShortDestinationThrowsNamingDestinationAndBothLengths()
    {
        AssertShortDestination(() => FloatConversions.ToSingle(new BFloat16[17], new float[16]));
        AssertShortDestination(() => FloatConversions.ToBFloat16(new float[17], new BFloat16[16]));
        AssertShortDestination(() => FloatConversions.ToSingle(new Half[17], new float[16]));
        AssertShortDestination(() => FloatConversions.ToHalf(new float[17], new Half[16]));
    }

    [Fact]
    public void LongerDestinationIsWrittenOnlyForTheSourceLength()
    {
        BFloat16[] narrowed = [BFloat16.NaN, BFloat16.NaN, BFloat16.NaN];
        FloatConversions.ToBFloat16([1.0f, -2.0f], narrowed);
        Assert.Equal([0x3F80, 0xC000, 0x7FC0], Array.ConvertAll(narrowed, b => b.RawBits));
    }

    [Fact]
    public void WarmConversionsDoNotAllocate()
    {
        float[] floats = new float[1024];
        BFloat16[] bfloats = new BFloat16[1024];
        Half[] halves = new Half[1024];
        ConvertAll(floats, bfloats, halves);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            ConvertAll(floats, bfloats, halves);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void ConvertAll(float[] floats, BFloat16[] bfloats, Half[] halves)
    {
        FloatConversions.ToBFloat16(floats, bfloats);
        FloatConversions.ToSingle(bfloats, floats);
        FloatConversions.ToHalf(floats, halves);
        FloatConversions.ToSingle(halves, floats);
    }

    private static void AssertWidensLikeScalarForEveryLengthAndOffset(string path, Widening widen, Func<ushort, uint> scalar, int seed)
    {
        ushort[] source = Random16BitPatterns(MaxLength + MaxOffset, seed);
        for (int offset = 0; offset < MaxOffset; offset++)
        {
            for (int length = 0; length <= MaxLength; length++)
            {
                uint[] destination = new uint[MaxLength + MaxOffset + 1];
                Array.Fill(destination, PoisonFloatBits);
                ReadOnlySpan<ushort> input = source.AsSpan(offset, length);
                Span<uint> output = destination.AsSpan(MaxOffset - offset, length);
                widen(path, input, output);

                for (int i = 0; i < length; i++)
                {
                    uint expected = scalar(input[i]);
                    Assert.True(expected == output[i], $"path {path}, offset {offset}, length {length}, element {i}: expected 0x{expected:X8}, actual 0x{output[i]:X8}");
                }

                AssertUntouchedOutside(destination, MaxOffset - offset, length, PoisonFloatBits);
            }
        }
    }

    private static uint HalfAsSingleBits(ushort bits) => BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf(bits));

    private static void AssertShortDestination(Action convert)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>("destination", convert);
        Assert.Contains("17", exception.Message, StringComparison.Ordinal);
        Assert.Contains("16", exception.Message, StringComparison.Ordinal);
    }

    private static void WidenBFloat16(string path, ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        switch (path)
        {
            case "public":
                FloatConversions.ToSingle(MemoryMarshal.Cast<ushort, BFloat16>(source), MemoryMarshal.Cast<uint, float>(destination));
                return;
            case "512":
                FinishWidening(FloatConversions.BFloat16ToSingleVector512(source, destination), 32, source, destination);
                return;
            case "256":
                FinishWidening(FloatConversions.BFloat16ToSingleVector256(source, destination), 16, source, destination);
                return;
            case "128":
                FinishWidening(FloatConversions.BFloat16ToSingleVector128(source, destination), 8, source, destination);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "Expected public, 512, 256 or 128.");
        }
    }

    private static void WidenHalf(string path, ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        switch (path)
        {
            case "public":
                FloatConversions.ToSingle(MemoryMarshal.Cast<ushort, Half>(source), MemoryMarshal.Cast<uint, float>(destination));
                return;
            case "512":
                FinishHalfWidening(FloatConversions.HalfToSingleVector512(source, destination), 32, source, destination);
                return;
            case "256":
                FinishHalfWidening(FloatConversions.HalfToSingleVector256(source, destination), 16, source, destination);
                return;
            case "128":
                FinishHalfWidening(FloatConversions.HalfToSingleVector128(source, destination), 8, source, destination);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "Expected public, 512, 256 or 128.");
        }
    }

    private static void NarrowToBFloat16(string path, ReadOnlySpan<uint> source, Span<ushort> destination)
    {
        switch (path)
        {
            case "public":
                FloatConversions.ToBFloat16(MemoryMarshal.Cast<uint, float>(source), MemoryMarshal.Cast<ushort, BFloat16>(destination));
                return;
            case "512":
                FinishNarrowing(FloatConversions.SingleToBFloat16Vector512(source, destination), 32, source, destination);
                return;
            case "256":
                FinishNarrowing(FloatConversions.SingleToBFloat16Vector256(source, destination), 16, source, destination);
                return;
            case "128":
                FinishNarrowing(FloatConversions.SingleToBFloat16Vector128(source, destination), 8, source, destination);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "Expected public, 512, 256 or 128.");
        }
    }

    private static void FinishWidening(int done, int elementsPerStep, ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        Assert.Equal(source.Length - (source.Length % elementsPerStep), done);
        FloatConversions.BFloat16ToSingleScalar(source[done..], destination[done..]);
    }

    private static void FinishHalfWidening(int done, int elementsPerStep, ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        Assert.Equal(source.Length - (source.Length % elementsPerStep), done);
        FloatConversions.HalfToSingleScalar(source[done..], destination[done..]);
    }

    private static void FinishNarrowing(int done, int elementsPerStep, ReadOnlySpan<uint> source, Span<ushort> destination)
    {
        Assert.Equal(source.Length - (source.Length % elementsPerStep), done);
        FloatConversions.SingleToBFloat16Scalar(source[done..], destination[done..]);
    }

    private static void AssertUntouchedOutside<T>(T[] destination, int start, int length, T poison)
        where T : IEquatable<T>
    {
        for (int i = 0; i < destination.Length; i++)
        {
            if (i < start || i >= start + length)
            {
                Assert.True(destination[i].Equals(poison), $"element {i} outside [{start}, {start + length}) was written");
            }
        }
    }

    private static ushort[] Random16BitPatterns(int count, int seed)
    {
        Random random = new(seed);
        ushort[] bits = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            bits[i] = (ushort)random.Next(0, 65536);
        }

        return bits;
    }

    // Mixes arbitrary patterns with exact ties, near-ties, NaNs whose payload sits only in the low bits, and the
    // largest finite values, so that every lane of every vector width sees each kind.
    private static uint[] RandomFloatBitsWithTiesAndNaNs(int count, int seed)
    {
        Random random = new(seed);
        uint[] bits = new uint[count];
        for (int i = 0; i < count; i++)
        {
            uint upper = (uint)random.Next(0, 65536) << 16;
            bits[i] = (i % 6) switch
            {
                0 => (uint)random.NextInt64(0, 1L << 32),
                1 => upper | 0x8000,
                2 => upper | (uint)random.Next(0x7FFF, 0x8002),
                3 => (upper & 0x8000_0000u) | 0x7F80_0000u | (uint)random.Next(1, 0x10000),
                4 => (upper & 0x8000_0000u) | (uint)random.Next(0x7F7F_0000, 0x7F80_0000),
                _ => (upper & 0x8000_0000u) | (uint)random.Next(0, 0x0080_0000),
            };
        }

        return bits;
    }
}
