using System;

namespace NativeAttention.Tests.Tensors;

/// <summary>
/// An independent bfloat16 model built from double arithmetic (quantum, Math.Round to even, exponent and
/// mantissa fields), with no bit tricks on binary32 patterns, to check the library's conversions against.
/// </summary>
internal static class BFloat16Reference
{
    private const int MinNormalExponent = -126;
    private const int MantissaBits = 7;

    /// <summary>Rounds a non-NaN value to the nearest bfloat16, ties to even, and returns its bit pattern.</summary>
    public static ushort RoundToBits(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("The reference rounds numbers only; NaN has no nearest value.", nameof(value));
        }

        ushort sign = double.IsNegative(value) ? (ushort)0x8000 : (ushort)0;
        double magnitude = Math.Abs(value);
        if (double.IsPositiveInfinity(magnitude))
        {
            return (ushort)(sign | 0x7F80);
        }

        // Spacing of bfloat16 values around the magnitude: 8 significant bits, fixed spacing below the normal range.
        int exponent = magnitude == 0 ? MinNormalExponent : Math.Max(Math.ILogB(magnitude), MinNormalExponent);
        double quantum = Math.ScaleB(1.0, exponent - MantissaBits);
        double rounded = Math.Round(magnitude / quantum, MidpointRounding.ToEven) * quantum;
        if (rounded >= Math.ScaleB(1.0, 128))
        {
            return (ushort)(sign | 0x7F80);
        }

        return (ushort)(sign | Encode(rounded));
    }

    /// <summary>Decodes a non-NaN bfloat16 bit pattern to its value from the exponent and mantissa fields.</summary>
    public static double Decode(ushort bits)
    {
        int biasedExponent = (bits >> 7) & 0xFF;
        int mantissa = bits & 0x7F;
        double sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
        if (biasedExponent == 0xFF)
        {
            return mantissa == 0 ? sign * double.PositiveInfinity : throw new ArgumentException("NaN has no value.", nameof(bits));
        }

        return biasedExponent == 0
            ? sign * mantissa * Math.ScaleB(1.0, MinNormalExponent - MantissaBits)
            : sign * (128 + mantissa) * Math.ScaleB(1.0, biasedExponent - 127 - MantissaBits);
    }

    private static int Encode(double magnitude)
    {
        if (magnitude == 0)
        {
            return 0;
        }

        int exponent = Math.ILogB(magnitude);
        if (exponent < MinNormalExponent)
        {
            return (int)(magnitude / Math.ScaleB(1.0, MinNormalExponent - MantissaBits));
        }

        int significand = (int)(magnitude / Math.ScaleB(1.0, exponent - MantissaBits));
        return ((exponent + 127) << MantissaBits) | (significand - 128);
    }
}
