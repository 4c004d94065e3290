using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>The CPU micro-kernels on 256-bit vectors (AVX2 on x64, emulated on narrower hardware).</summary>
internal readonly unsafe struct Vector256Kernels : ISimdKernels, IVectorLanes<Vector256<float>>
{
    /// <inheritdoc />
    public static int Count => Vector256<float>.Count;

    /// <inheritdoc />
    public static Vector256<float> Zero => Vector256<float>.Zero;

    /// <inheritdoc />
    public static void MultiplyAdd(float* a, nint aStride, int rows, int depth, float* b, nint bStride, int columns, float* c, nint cStride, bool accumulate) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.MultiplyAdd(a, aStride, rows, depth, b, bStride, columns, c, cStride, accumulate);

    /// <inheritdoc />
    public static void RowDotProducts(float* a, nint aStride, int rows, float* b, nint bStride, int count, int depth, float* c, nint cStride) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.RowDotProducts(a, aStride, rows, b, bStride, count, depth, c, cStride);

    /// <inheritdoc />
    public static float ExponentiateAndSum(float* values, int count, float offset) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.ExponentiateAndSum(values, count, offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> vector, float* destination) => vector.Store(destination);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpShifted(Vector256<float> vector, Vector256<float> offset) => Vector256.Exp(vector - offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> vector) => Vector256.Sum(vector);
}
