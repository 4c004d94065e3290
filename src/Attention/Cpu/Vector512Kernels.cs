using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>The CPU micro-kernels on 512-bit vectors (AVX-512 on x64, emulated elsewhere).</summary>
internal readonly unsafe struct Vector512Kernels : ISimdKernels, IVectorLanes<Vector512<float>>
{
    /// <inheritdoc />
    public static int Count => Vector512<float>.Count;

    /// <inheritdoc />
    public static Vector512<float> Zero => Vector512<float>.Zero;

    /// <inheritdoc />
    public static void MultiplyAdd(float* a, nint aStride, nint aDepthStride, int rows, int depth, float* b, nint bStride, int columns, float* c, nint cStride, bool accumulate) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.MultiplyAdd(a, aStride, aDepthStride, rows, depth, b, bStride, columns, c, cStride, accumulate);

    /// <inheritdoc />
    public static void RowDotProducts(float* a, nint aStride, int rows, float* b, nint bStride, int count, int depth, float* c, nint cStride) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.RowDotProducts(a, aStride, rows, b, bStride, count, depth, c, cStride);

    /// <inheritdoc />
    public static float RowMax(float* values, int count) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.RowMax(values, count);

    /// <inheritdoc />
    public static float Exponentiate2AndSum(float* values, int count, float offset) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.Exponentiate2AndSum(values, count, offset);

    /// <inheritdoc />
    public static void ColumnMax(float* values, nint stride, int rows, int columns, float* max) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.ColumnMax(values, stride, rows, columns, max);

    /// <inheritdoc />
    public static void Exponentiate2ColumnsAndSum(float* values, nint stride, int rows, int columns, float* offsets, float* sums) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.Exponentiate2ColumnsAndSum(values, stride, rows, columns, offsets, sums);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> vector, float* destination) => vector.Store(destination);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.MultiplyAddEstimate(a, b, c);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp2Shifted(Vector512<float> vector, Vector512<float> offset)
    {
        Vector512<float> x = vector - offset;
        Vector512<float> r;
        Vector512<float> n;
        if (Avx512DQ.IsSupported)
        {
            // vreduceps leaves x − round(x) in one instruction; n follows exactly, since r is exact.
            r = Avx512DQ.Reduce(x, 0);
            n = x - r;
        }
        else
        {
            // Adding 1.5·2^23 rounds x to an integer n in the low mantissa bits.
            Vector512<float> shifted = x + Vector512.Create(FastExp.RoundingShift);
            n = shifted - Vector512.Create(FastExp.RoundingShift);
            r = x - n;
        }

        Vector512<float> p = FastExp.Polynomial<Vector512Kernels, Vector512<float>>(r);
        Vector512<float> scaled = Avx512F.IsSupported
            ? Avx512F.Scale(p, n)
            : (p.AsInt32() + (Vector512.ConvertToInt32(n) << 23)).AsSingle();
        return scaled & Vector512.GreaterThanOrEqual(x, Vector512.Create(FastExp.MinExponent));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> vector)
    {
        Vector256<float> eight = Vector256.MaxNative(vector.GetLower(), vector.GetUpper());
        Vector128<float> four = Vector128.MaxNative(eight.GetLower(), eight.GetUpper());
        four = Vector128.MaxNative(four, Vector128.Shuffle(four, Vector128.Create(2, 3, 0, 1)));
        four = Vector128.MaxNative(four, Vector128.Shuffle(four, Vector128.Create(1, 0, 3, 2)));
        return four.ToScalar();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> vector) => Vector512.Sum(vector);
}
