using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>The CPU micro-kernels on 512-bit vectors (AVX-512 on x64, emulated elsewhere).</summary>
internal readonly unsafe struct Vector512Kernels : ISimdKernels, IVectorLanes<Vector512<float>>
{
    /// <inheritdoc />
    public static int Count => Vector512<float>.Count;

    /// <inheritdoc />
    public static Vector512<float> Zero => Vector512<float>.Zero;

    /// <inheritdoc />
    public static void MultiplyAdd(float* a, nint aStride, int rows, int depth, float* b, nint bStride, int columns, float* c, nint cStride, bool accumulate) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.MultiplyAdd(a, aStride, rows, depth, b, bStride, columns, c, cStride, accumulate);

    /// <inheritdoc />
    public static void RowDotProducts(float* a, nint aStride, int rows, float* b, nint bStride, int count, int depth, float* c, nint cStride) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.RowDotProducts(a, aStride, rows, b, bStride, count, depth, c, cStride);

    /// <inheritdoc />
    public static float ExponentiateAndSum(float* values, int count, float offset) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.ExponentiateAndSum(values, count, offset);

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
    public static Vector512<float> ExpShifted(Vector512<float> vector, Vector512<float> offset) => Vector512.Exp(vector - offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> vector) => Vector512.Sum(vector);
}
