using System;
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
/// <para>
/// Tanh is the one transcendental with a vector form, for soft-capping, whose scalar MathF.Tanh costs more than the rest
/// of a score's work together. No vector form can match MathF.Tanh bit for bit, since MathF.Tanh is the C runtime's tanhf,
/// which is not correctly rounded and differs between platforms (glibc's errs by up to 2 ulp). This one promises an
/// accuracy instead: it evaluates (e^2x − 1) / (e^2x + 1) in double, whose error of about 2^-45 leaves the float result
/// within 1 ulp of the exact tanh (the tests find it equal to the correctly rounded value on every input they try).
/// </para>
/// <para>
/// A span capture read at a per-key index gathers its lanes. The generated loop first asks <see cref="AllWithin(Vector256{int}, int)"/>
/// whether every lane's index is in range, and hands the rest of the row to the scalar mod when one is not, so an
/// out-of-range read throws where, and as, the scalar code throws, and no gather reads outside the capture.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SpecVectorMath
{
    private const float TanhIdentityBound = 1f / 4096;

    private const double TanhSaturation = 10.0;

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

    /// <summary>Returns the hyperbolic tangent of every lane, within 1 ulp; ±0, ±∞ and NaN behave as in MathF.Tanh.</summary>
    /// <param name="x">The lanes.</param>
    /// <returns>tanh of each lane.</returns>
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x);
        Vector256<float> tanh = Vector256.Narrow(Tanh(lower), Tanh(upper));
        return Vector256.ConditionalSelect(KeepsItself(x), x, tanh);
    }

    /// <summary>Returns the hyperbolic tangent of every lane, within 1 ulp; ±0, ±∞ and NaN behave as in MathF.Tanh.</summary>
    /// <param name="x">The lanes.</param>
    /// <returns>tanh of each lane.</returns>
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x);
        Vector512<float> tanh = Vector512.Narrow(Tanh(lower), Tanh(upper));
        return Vector512.ConditionalSelect(KeepsItself(x), x, tanh);
    }

    // Below 2^-12, tanh x = x − x³/3 rounds to x, where e^2x − 1 would lose the digits of x; NaN passes through.
    private static Vector256<float> KeepsItself(Vector256<float> x) =>
        Vector256.LessThan(Vector256.Abs(x), Vector256.Create(TanhIdentityBound)) | ~Vector256.Equals(x, x);

    private static Vector512<float> KeepsItself(Vector512<float> x) =>
        Vector512.LessThan(Vector512.Abs(x), Vector512.Create(TanhIdentityBound)) | ~Vector512.Equals(x, x);

    // tanh 10 = 1 − 4e-9 rounds to 1 in float, and the clamp keeps e^2x finite so that ±∞ give ±1.
    private static Vector256<double> Tanh(Vector256<double> x)
    {
        Vector256<double> clamped = Vector256.Min(Vector256.Max(x, Vector256.Create(-TanhSaturation)), Vector256.Create(TanhSaturation));
        Vector256<double> power = Vector256.Exp(clamped + clamped);
        return (power - Vector256<double>.One) / (power + Vector256<double>.One);
    }

    private static Vector512<double> Tanh(Vector512<double> x)
    {
        Vector512<double> clamped = Vector512.Min(Vector512.Max(x, Vector512.Create(-TanhSaturation)), Vector512.Create(TanhSaturation));
        Vector512<double> power = Vector512.Exp(clamped + clamped);
        return (power - Vector512<double>.One) / (power + Vector512<double>.One);
    }

    /// <summary>Returns whether every lane lies in [0, <paramref name="length"/>).</summary>
    /// <param name="index">The lanes.</param>
    /// <param name="length">The capture's length.</param>
    /// <returns>Whether a gather at these lanes stays in range.</returns>
    public static bool AllWithin(Vector256<int> index, int length) =>
        Vector256.LessThanAll(index.AsUInt32(), Vector256.Create((uint)length));

    /// <summary>Returns whether every lane lies in [0, <paramref name="length"/>).</summary>
    /// <param name="index">The lanes.</param>
    /// <param name="length">The capture's length.</param>
    /// <returns>Whether a gather at these lanes stays in range.</returns>
    public static bool AllWithin(Vector512<int> index, int length) =>
        Vector512.LessThanAll(index.AsUInt32(), Vector512.Create((uint)length));

    /// <summary>Reads <paramref name="capture"/> at every lane's index, all checked by <see cref="AllWithin(Vector256{int}, int)"/>.</summary>
    /// <param name="capture">The capture.</param>
    /// <param name="index">The lanes, each in range.</param>
    /// <returns>The elements.</returns>
    public static unsafe Vector256<float> Gather(CaptureSpan<float> capture, Vector256<int> index)
    {
        fixed (float* first = capture.Span)
        {
            return Avx2.IsSupported ? Avx2.GatherVector256(first, index, sizeof(float)) : GatherPortable(first, index);
        }
    }

    /// <summary>Reads <paramref name="capture"/> at every lane's index, all checked by <see cref="AllWithin(Vector256{int}, int)"/>.</summary>
    /// <param name="capture">The capture.</param>
    /// <param name="index">The lanes, each in range.</param>
    /// <returns>The elements.</returns>
    public static unsafe Vector256<int> Gather(CaptureSpan<int> capture, Vector256<int> index)
    {
        fixed (int* first = capture.Span)
        {
            return Avx2.IsSupported ? Avx2.GatherVector256(first, index, sizeof(int)) : GatherPortable(first, index);
        }
    }

    /// <summary>Reads <paramref name="capture"/> at every lane's index, all checked by <see cref="AllWithin(Vector512{int}, int)"/>.</summary>
    /// <param name="capture">The capture.</param>
    /// <param name="index">The lanes, each in range.</param>
    /// <returns>The elements.</returns>
    public static Vector512<float> Gather(CaptureSpan<float> capture, Vector512<int> index) =>
        Vector512.Create(Gather(capture, index.GetLower()), Gather(capture, index.GetUpper()));

    /// <summary>Reads <paramref name="capture"/> at every lane's index, all checked by <see cref="AllWithin(Vector512{int}, int)"/>.</summary>
    /// <param name="capture">The capture.</param>
    /// <param name="index">The lanes, each in range.</param>
    /// <returns>The elements.</returns>
    public static Vector512<int> Gather(CaptureSpan<int> capture, Vector512<int> index) =>
        Vector512.Create(Gather(capture, index.GetLower()), Gather(capture, index.GetUpper()));

    /// <summary>The path of machines without AVX2: one load per lane.</summary>
    internal static unsafe Vector256<T> GatherPortable<T>(T* first, Vector256<int> index)
        where T : unmanaged
    {
        Span<T> lanes = stackalloc T[Vector256<T>.Count];
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = first[index[i]];
        }

        return Vector256.Create<T>(lanes);
    }
}
