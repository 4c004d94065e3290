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
    public static void MultiplyAdd<TB>(float* a, nint aStride, nint aDepthStride, int rows, int depth, TB* b, nint bStride, int columns, float* c, nint cStride, bool accumulate)
        where TB : unmanaged =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.MultiplyAdd(a, aStride, aDepthStride, rows, depth, b, bStride, columns, c, cStride, accumulate);

    /// <inheritdoc />
    public static void RowDotProducts<TB>(float* a, nint aStride, int rows, TB* b, nint bStride, int count, int depth, float* c, nint cStride, in NextKeyTile next)
        where TB : unmanaged =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.RowDotProducts(a, aStride, rows, b, bStride, count, depth, c, cStride, next);

    /// <inheritdoc />
    public static void KeyPairScores(float* keys, nint keyStride, int count, int depth, float* queriesTransposed, int lanes, float* scores, in NextKeyTile next) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.KeyPairScores(keys, keyStride, count, depth, queriesTransposed, lanes, scores, next);

    /// <inheritdoc />
    public static void AccumulateValues(float* probabilities, nint rowStride, nint keyStride, int rows, int keys, float* values, nint valueStride, int valueDim, float* output, in NextKeyTile next) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.AccumulateValues(probabilities, rowStride, keyStride, rows, keys, values, valueStride, valueDim, output, next);

    /// <inheritdoc />
    public static void PairBFloat16Features(float* rows, nint stride, int count, int depth) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.PairBFloat16Features(rows, stride, count, depth);

    /// <inheritdoc />
    public static void UnpairBFloat16Features(float* rows, nint stride, int count, int depth) =>
        SimdMicroKernels<Vector512Kernels, Vector512<float>>.UnpairBFloat16Features(rows, stride, count, depth);

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
    public static Vector512<float> LoadBFloat16(ushort* source)
    {
        Vector512<uint> bits = Avx512F.IsSupported
            ? Avx512F.ConvertToVector512UInt32(Vector256.Load(source))
            : Vector512.WidenLower(Vector256.Load(source).ToVector512());
        return Vector512.ShiftLeft(bits, 16).AsSingle();
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LoadBFloat16Pairs(ushort* source, out Vector512<float> even, out Vector512<float> odd)
    {
        Vector512<uint> words = Vector512.Load((uint*)source);
        even = Vector512.ShiftLeft(words, 16).AsSingle();
        odd = (words & Vector512.Create(0xFFFF0000u)).AsSingle();
    }

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

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SumEach(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector256.Create(Vector512.Sum(s0), Vector512.Sum(s1), Vector512.Sum(s2), Vector512.Sum(s3), Vector512.Sum(s4), Vector512.Sum(s5), Vector512.Sum(s6), Vector512.Sum(s7));
        }

        // Each step adds two shuffles of a pair and leaves every input's partial sums in half as many lanes: 256-bit
        // halves, then 128-bit quarters (quarter k of the first result s_k, of the second s_{4+k}), then 64-bit pairs,
        // then neighbouring lanes. s_k ends in lane 4k and s_{4+k} in lane 4k + 2, which one permutation gathers.
        Vector512<float> firstFour = AddQuarters(AddHalves(s0, s1), AddHalves(s2, s3));
        Vector512<float> lastFour = AddQuarters(AddHalves(s4, s5), AddHalves(s6, s7));
        Vector512<float> pairs = Avx512F.UnpackLow(firstFour.AsDouble(), lastFour.AsDouble()).AsSingle() + Avx512F.UnpackHigh(firstFour.AsDouble(), lastFour.AsDouble()).AsSingle();
        Vector512<float> sums = pairs + Avx512F.Permute4x32(pairs, 0xB1);
        return Avx512F.PermuteVar16x32(sums, Vector512.Create(0, 4, 8, 12, 2, 6, 10, 14, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower();
    }

    // Lanes 0-7: a's 256-bit halves added; lanes 8-15: b's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AddHalves(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);

    // Of two AddHalves results, quarters 0 and 1 take a's two inputs, quarters 2 and 3 b's, each folded to four lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> AddQuarters(Vector512<float> a, Vector512<float> b) =>
        Avx512F.Shuffle4x128(a, b, 0x88) + Avx512F.Shuffle4x128(a, b, 0xDD);
}
