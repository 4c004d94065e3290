using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>Reduces four accumulators to their four lane sums at once, for the score micro-kernels.</summary>
internal static class HorizontalSums
{
    /// <summary>Returns [Σ a0, Σ a1, Σ a2, Σ a3].</summary>
    /// <param name="a0">The first accumulator.</param>
    /// <param name="a1">The second accumulator.</param>
    /// <param name="a2">The third accumulator.</param>
    /// <param name="a3">The fourth accumulator.</param>
    /// <returns>The four sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumEach(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        if (Avx.IsSupported)
        {
            // Three in-lane pairwise adds leave each accumulator's two half-sums in the two 128-bit halves: one shared
            // reduction instead of four separate ones.
            Vector256<float> sums = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            return sums.GetLower() + sums.GetUpper();
        }

        return Vector128.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
    }

    /// <summary>Returns [Σ a0, Σ a1, Σ a2, Σ a3].</summary>
    /// <param name="a0">The first accumulator.</param>
    /// <param name="a1">The second accumulator.</param>
    /// <param name="a2">The third accumulator.</param>
    /// <param name="a3">The fourth accumulator.</param>
    /// <returns>The four sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumEach(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3) =>
        SumEach(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());
}
