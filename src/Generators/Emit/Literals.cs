using System.Globalization;

namespace NativeAttention.Generators.Emit;

/// <summary>Writes constants as CUDA and C# literals that round-trip exactly.</summary>
internal static class Literals
{
    public static string CudaFloat(float value)
    {
        if (float.IsNaN(value))
        {
            return "__int_as_float(0x7fffffff)";
        }

        if (float.IsPositiveInfinity(value))
        {
            return "__int_as_float(0x7f800000)";
        }

        if (float.IsNegativeInfinity(value))
        {
            return "__int_as_float(0xff800000)";
        }

        string text = RoundTrip(value) + "f";
        return text.StartsWith("-", System.StringComparison.Ordinal) ? "(" + text + ")" : text;
    }

    public static string CudaInt(int value)
        => value == int.MinValue ? "(-2147483647 - 1)"
            : value < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + ")"
            : value.ToString(CultureInfo.InvariantCulture);

    public static string CSharpFloat(float value)
    {
        if (float.IsNaN(value))
        {
            return "float.NaN";
        }

        if (float.IsPositiveInfinity(value))
        {
            return "float.PositiveInfinity";
        }

        if (float.IsNegativeInfinity(value))
        {
            return "float.NegativeInfinity";
        }

        string text = RoundTrip(value) + "f";
        return text.StartsWith("-", System.StringComparison.Ordinal) ? "(" + text + ")" : text;
    }

    public static string CSharpInt(int value)
        => value == int.MinValue ? "int.MinValue"
            : value < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + ")"
            : value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    // "R" round-trips single precision; a literal needs a '.' or exponent to be floating point in C++.
    private static string RoundTrip(float value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text == "0" && 1f / value < 0)
        {
            text = "-0";
        }

        return text.IndexOfAny(['.', 'E', 'e']) < 0 ? text + ".0" : text;
    }
}
