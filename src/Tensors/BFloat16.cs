using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// A 16-bit brain floating-point number: the upper half of an IEEE 754 binary32 value
/// (1 sign bit, 8 exponent bits, 7 mantissa bits).
/// </summary>
/// <remarks>
/// .NET 10 has no BFloat16 type. Conversion from <see cref="float"/> rounds to nearest, ties to even,
/// and keeps every NaN a NaN (quiet, sign kept); conversion to <see cref="float"/> is exact.
/// </remarks>
public readonly struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>, IFormattable
{
    private readonly ushort _bits;

    private BFloat16(ushort bits) => _bits = bits;

    /// <summary>Gets the raw bit pattern of this value.</summary>
    public ushort RawBits => _bits;

    /// <summary>Creates a value from its raw bit pattern.</summary>
    /// <param name="bits">The 16-bit pattern: sign, 8 exponent bits, 7 mantissa bits.</param>
    /// <returns>The value with exactly that bit pattern.</returns>
    public static BFloat16 FromRawBits(ushort bits) => new(bits);

    /// <summary>Gets positive zero.</summary>
    public static BFloat16 Zero => new(0x0000);

    /// <summary>Gets one.</summary>
    public static BFloat16 One => new(0x3F80);

    /// <summary>Gets positive infinity.</summary>
    public static BFloat16 PositiveInfinity => new(0x7F80);

    /// <summary>Gets negative infinity.</summary>
    public static BFloat16 NegativeInfinity => new(0xFF80);

    /// <summary>Gets the canonical quiet NaN.</summary>
    public static BFloat16 NaN => new(0x7FC0);

    /// <summary>Gets the largest finite value (about 3.39e38).</summary>
    public static BFloat16 MaxValue => new(0x7F7F);

    /// <summary>Gets the most negative finite value.</summary>
    public static BFloat16 MinValue => new(0xFF7F);

    /// <summary>Gets the smallest positive subnormal value.</summary>
    public static BFloat16 Epsilon => new(0x0001);

    /// <summary>Returns whether <paramref name="value"/> is a NaN.</summary>
    /// <param name="value">The value to test.</param>
    /// <returns><see langword="true"/> when the exponent is all ones and the mantissa is not zero.</returns>
    public static bool IsNaN(BFloat16 value) => (value._bits & 0x7FFF) > 0x7F80;

    /// <summary>Returns whether <paramref name="value"/> is positive or negative infinity.</summary>
    /// <param name="value">The value to test.</param>
    /// <returns><see langword="true"/> for either infinity.</returns>
    public static bool IsInfinity(BFloat16 value) => (value._bits & 0x7FFF) == 0x7F80;

    /// <summary>Returns whether <paramref name="value"/> is finite (not NaN and not infinite).</summary>
    /// <param name="value">The value to test.</param>
    /// <returns><see langword="true"/> when the exponent is not all ones.</returns>
    public static bool IsFinite(BFloat16 value) => (value._bits & 0x7F80) != 0x7F80;

    /// <summary>Rounds a <see cref="float"/> to the nearest <see cref="BFloat16"/>, ties to even; NaN stays NaN.</summary>
    /// <param name="value">The value to round.</param>
    public static explicit operator BFloat16(float value) => new(RoundToBits(BitConverter.SingleToUInt32Bits(value)));

    /// <summary>Rounds a <see cref="double"/> to the nearest <see cref="BFloat16"/>, ties to even; NaN stays NaN.</summary>
    /// <param name="value">The value to round.</param>
    /// <remarks>
    /// The value is first narrowed to <see cref="float"/> with round-to-odd, which keeps enough information for the
    /// second rounding to give the same result as one direct rounding from <see cref="double"/>.
    /// </remarks>
    public static explicit operator BFloat16(double value)
    {
        float narrowed = (float)value;
        uint bits = BitConverter.SingleToUInt32Bits(narrowed);
        if (float.IsFinite(narrowed) && (double)narrowed != value)
        {
            // Inexact: step the magnitude back toward zero if the nearest float overshot, then make it odd.
            if (Math.Abs((double)narrowed) > Math.Abs(value))
            {
                bits--;
            }

            bits |= 1u;
        }

        return new(RoundToBits(bits));
    }

    /// <summary>Widens to <see cref="float"/>; exact.</summary>
    /// <param name="value">The value to widen.</param>
    public static explicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value._bits << 16);

    /// <summary>Widens to <see cref="double"/>; exact.</summary>
    /// <param name="value">The value to widen.</param>
    public static explicit operator double(BFloat16 value) => (float)value;

    /// <summary>Rounds the bits of a binary32 value to the bits of a bfloat16 value, ties to even, NaN kept quiet.</summary>
    /// <param name="floatBits">The IEEE 754 binary32 bit pattern.</param>
    /// <returns>The bfloat16 bit pattern.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ushort RoundToBits(uint floatBits)
    {
        if ((floatBits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            // Truncating a NaN whose payload lives only in the low 16 bits would give infinity; set the quiet bit.
            return (ushort)((floatBits >> 16) | 0x0040u);
        }

        uint lsb = (floatBits >> 16) & 1u;
        return (ushort)((floatBits + 0x7FFFu + lsb) >> 16);
    }

    /// <inheritdoc />
    /// <remarks>As <see cref="float.Equals(float)"/>: every NaN equals every NaN, and -0 equals +0.</remarks>
    public bool Equals(BFloat16 other) => ((float)this).Equals((float)other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((float)this).GetHashCode();

    /// <inheritdoc />
    public int CompareTo(BFloat16 other) => ((float)this).CompareTo((float)other);

    /// <summary>Compares by value, as <see cref="float"/> does: NaN equals nothing, and -0 equals +0.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(BFloat16 left, BFloat16 right) => (float)left == (float)right;

    /// <summary>Compares by value, as <see cref="float"/> does.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(BFloat16 left, BFloat16 right) => (float)left != (float)right;

    /// <summary>Compares by value, as <see cref="float"/> does.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator <(BFloat16 left, BFloat16 right) => (float)left < (float)right;

    /// <summary>Compares by value, as <see cref="float"/> does.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator >(BFloat16 left, BFloat16 right) => (float)left > (float)right;

    /// <summary>Compares by value, as <see cref="float"/> does.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator <=(BFloat16 left, BFloat16 right) => (float)left <= (float)right;

    /// <summary>Compares by value, as <see cref="float"/> does.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator >=(BFloat16 left, BFloat16 right) => (float)left >= (float)right;

    /// <inheritdoc />
    public override string ToString() => ((float)this).ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ((float)this).ToString(format, formatProvider);
}
