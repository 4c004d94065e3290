using System.ComponentModel;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>
/// Lane operations the generated vector forms of spec mods call where the portable vector API has no fast equivalent.
/// Not for direct use.
/// </summary>
/// <remarks>
/// Truncating int division by a uniform divisor goes through doubles: both operands are exact as doubles, and the
/// correctly rounded quotient of two ints of at most 31 bits errs by less than 2^-22 / |divisor|, while a non-integral
/// quotient lies at least 1 / |divisor| from the next integer, so truncation gives C#'s quotient. The generated code
/// never passes a divisor of 0 or -1 (rows with one take the scalar path, which throws as C# does).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpecVectorMath
{
    /// <summary>Divides every lane by <paramref name="divisor"/>, truncating toward zero as C#'s int division does.</summary>
    /// <param name="dividend">The lanes.</param>
    /// <param name="divisor">The divisor, neither 0 nor -1.</param>
    /// <returns>The quotients.</returns>
    public static Vector256<int> Divide(Vector256<int> dividend, int divisor)
    {
        if (Avx.IsSupported)
        {
            Vector256<double> by = Vector256.Create((double)divisor);
            // vcvtdq2pd and vcvttpd2dq: the portable long-based conversions below are emulated without AVX-512.
            Vector128<int> lower = Avx.ConvertToVector128Int32WithTruncation(Avx.Divide(Avx.ConvertToVector256Double(dividend.GetLower()), by));
            Vector128<int> upper = Avx.ConvertToVector128Int32WithTruncation(Avx.Divide(Avx.ConvertToVector256Double(dividend.GetUpper()), by));
            return Vector256.Create(lower, upper);
        }

        return DividePortable(dividend, divisor);
    }

    /// <summary>The path of machines without AVX (Arm64 among them): the same quotients through the portable API.</summary>
    internal static Vector256<int> DividePortable(Vector256<int> dividend, int divisor)
    {
        Vector256<double> by = Vector256.Create((double)divisor);
        return Vector256.Narrow(
            Vector256.ConvertToInt64(Vector256.ConvertToDouble(Vector256.WidenLower(dividend)) / by),
            Vector256.ConvertToInt64(Vector256.ConvertToDouble(Vector256.WidenUpper(dividend)) / by));
    }

    /// <summary>Divides every lane by <paramref name="divisor"/>, truncating toward zero as C#'s int division does.</summary>
    /// <param name="dividend">The lanes.</param>
    /// <param name="divisor">The divisor, neither 0 nor -1.</param>
    /// <returns>The quotients.</returns>
    public static Vector512<int> Divide(Vector512<int> dividend, int divisor)
        // Two 256-bit halves: the AVX path of the overload above runs on every AVX-512 machine, and this way no
        // AVX-512-only code goes untested on machines without it.
        => Vector512.Create(Divide(dividend.GetLower(), divisor), Divide(dividend.GetUpper(), divisor));
}
