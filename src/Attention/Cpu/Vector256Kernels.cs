using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>The CPU micro-kernels on 256-bit vectors (AVX2 on x64, emulated on narrower hardware).</summary>
internal readonly unsafe struct Vector256Kernels : ISimdKernels, IVectorLanes<Vector256<float>>
{
    /// <inheritdoc />
    public static int Count => Vector256<float>.Count;

    /// <inheritdoc />
    public static Vector256<float> Zero => Vector256<float>.Zero;

    /// <inheritdoc />
    public static void MultiplyAdd<TB>(float* a, nint aStride, nint aDepthStride, int rows, int depth, TB* b, nint bStride, int columns, float* c, nint cStride, bool accumulate)
        where TB : unmanaged =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.MultiplyAdd(a, aStride, aDepthStride, rows, depth, b, bStride, columns, c, cStride, accumulate);

    /// <inheritdoc />
    public static void RowDotProducts<TB>(float* a, nint aStride, int rows, TB* b, nint bStride, int count, int depth, float* c, nint cStride, in NextKeyTile next)
        where TB : unmanaged =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.RowDotProducts(a, aStride, rows, b, bStride, count, depth, c, cStride, next);

    /// <inheritdoc />
    public static void KeyPairScores(float* keys, nint keyStride, int count, int depth, float* queriesTransposed, int lanes, float* scores, in NextKeyTile next) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.KeyPairScores(keys, keyStride, count, depth, queriesTransposed, lanes, scores, next);

    /// <inheritdoc />
    public static void AccumulateValues(float* probabilities, nint rowStride, nint keyStride, int rows, int keys, float* values, nint valueStride, int valueDim, float* output, in NextKeyTile next) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.AccumulateValues(probabilities, rowStride, keyStride, rows, keys, values, valueStride, valueDim, output, next);

    /// <inheritdoc />
    public static void PairBFloat16Features(float* rows, nint stride, int count, int depth) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.PairBFloat16Features(rows, stride, count, depth);

    /// <inheritdoc />
    public static void UnpairBFloat16Features(float* rows, nint stride, int count, int depth) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.UnpairBFloat16Features(rows, stride, count, depth);

    /// <inheritdoc />
    public static float RowMax(float* values, int count) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.RowMax(values, count);

    /// <inheritdoc />
    public static float Exponentiate2AndSum(float* values, int count, float offset) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.Exponentiate2AndSum(values, count, offset);

    /// <inheritdoc />
    public static void ColumnMax(float* values, nint stride, int rows, int columns, float* max) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.ColumnMax(values, stride, rows, columns, max);

    /// <inheritdoc />
    public static void Exponentiate2ColumnsAndSum(float* values, nint stride, int rows, int columns, float* offsets, float* sums) =>
        SimdMicroKernels<Vector256Kernels, Vector256<float>>.Exponentiate2ColumnsAndSum(values, stride, rows, columns, offsets, sums);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadBFloat16(ushort* source)
    {
        Vector256<uint> bits = Avx2.IsSupported
            ? Avx2.ConvertToVector256Int32(source).AsUInt32()
            : Vector256.WidenLower(Vector128.Load(source).ToVector256());
        return Vector256.ShiftLeft(bits, 16).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadBFloat16Pairs(ushort* source, out Vector256<float> even, out Vector256<float> odd)
    {
        Vector256<uint> words = Vector256.Load((uint*)source);
        even = Vector256.ShiftLeft(words, 16).AsSingle();
        odd = (words & Vector256.Create(0xFFFF0000u)).AsSingle();
    }

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
    public static Vector256<float> Exp2Shifted(Vector256<float> vector, Vector256<float> offset)
    {
        Vector256<float> x = vector - offset;

        // Adding 1.5·2^23 rounds x to an integer n in the low mantissa bits, which the shift below moves into the
        // exponent field.
        Vector256<float> shifted = x + Vector256.Create(FastExp.RoundingShift);
        Vector256<float> r = x - (shifted - Vector256.Create(FastExp.RoundingShift));
        Vector256<float> p = FastExp.Polynomial<Vector256Kernels, Vector256<float>>(r);
        Vector256<float> scaled = (p.AsInt32() + (shifted.AsInt32() << 23)).AsSingle();
        return scaled & Vector256.GreaterThanOrEqual(x, Vector256.Create(FastExp.MinExponent));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> vector)
    {
        Vector128<float> four = Vector128.MaxNative(vector.GetLower(), vector.GetUpper());
        four = Vector128.MaxNative(four, Vector128.Shuffle(four, Vector128.Create(2, 3, 0, 1)));
        four = Vector128.MaxNative(four, Vector128.Shuffle(four, Vector128.Create(1, 0, 3, 2)));
        return four.ToScalar();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> vector) => Vector256.Sum(vector);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SumEach(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3, Vector256<float> s4, Vector256<float> s5, Vector256<float> s6, Vector256<float> s7)
    {
        if (!Avx.IsSupported)
        {
            return Vector256.Create(Vector256.Sum(s0), Vector256.Sum(s1), Vector256.Sum(s2), Vector256.Sum(s3), Vector256.Sum(s4), Vector256.Sum(s5), Vector256.Sum(s6), Vector256.Sum(s7));
        }

        // Each step adds two shuffles of a pair and leaves every input's partial sums in half as many lanes: 128-bit
        // halves, then pairs, then single lanes. The last step leaves lanes in the order 0 2 4 6 1 3 5 7 of its inputs,
        // so the first pairs its vectors so that the sums come out in order.
        Vector256<float> t0 = AddHalves(s0, s4), t1 = AddHalves(s1, s5), t2 = AddHalves(s2, s6), t3 = AddHalves(s3, s7);
        return AddNeighbours(AddNeighbours(t0, t1), AddNeighbours(t2, t3));
    }

    // Lanes 0-3: a's halves added; lanes 4-7: b's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddHalves(Vector256<float> a, Vector256<float> b) =>
        Avx.Permute2x128(a, b, 0x20) + Avx.Permute2x128(a, b, 0x31);

    // In each 128-bit half: a's lanes 0+1 and 2+3, then b's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AddNeighbours(Vector256<float> a, Vector256<float> b) =>
        Avx.Shuffle(a, b, 0x88) + Avx.Shuffle(a, b, 0xDD);
}
