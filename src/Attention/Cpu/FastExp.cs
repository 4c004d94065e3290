using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// Constants and polynomial of <see cref="IVectorLanes{TVector}.Exp2Shifted"/>: 2^x = 2^n · 2^r with n = round(x) and |r| ≤ 1/2, 2^r by
/// a degree-5 minimax polynomial (relative error 7.5e-8 before rounding its coefficients to float). The softmax works in
/// base 2 so that no exponent needs a multiply by log2(e) or a two-part ln 2 reduction: the kernel folds log2(e) into
/// the query scale, or into the scores after a score mod.
/// </summary>
internal static class FastExp
{
    /// <summary>log2(e): turns natural-log scores into base-2 ones.</summary>
    public const float Log2E = 1.44269504f;

    /// <summary>ln(2): turns a base-2 log-sum-exp back into the natural one callers get.</summary>
    public const float Ln2 = 0.693147181f;

    /// <summary>1.5·2^23: added to a float of magnitude below 2^22, it leaves the nearest integer in the low mantissa bits.</summary>
    public const float RoundingShift = 12582912f;

    /// <summary>Below this exponent the result is 0: the result would leave the normal floats, where adding n to the exponent field breaks.</summary>
    public const float MinExponent = -126f;

    /// <summary>The polynomial's constant term.</summary>
    public const float C0 = 1.00000007f;

    /// <summary>The polynomial's coefficient of r.</summary>
    public const float C1 = 0.693146967f;

    /// <summary>The polynomial's coefficient of r².</summary>
    public const float C2 = 0.240221197f;

    /// <summary>The polynomial's coefficient of r³.</summary>
    public const float C3 = 0.0555071327f;

    /// <summary>The polynomial's coefficient of r⁴.</summary>
    public const float C4 = 0.00967554133f;

    /// <summary>The polynomial's coefficient of r⁵.</summary>
    public const float C5 = 0.00132764722f;

    /// <summary>Returns 2^r for |r| ≤ 1/2 by the polynomial, lane by lane, for every vector width.</summary>
    /// <typeparam name="TLanes">The vector operations.</typeparam>
    /// <typeparam name="TVector">The vector type.</typeparam>
    /// <param name="r">The reduced exponents.</param>
    /// <returns>The powers of two.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Polynomial<TLanes, TVector>(TVector r)
        where TLanes : IVectorLanes<TVector>
        where TVector : struct
    {
        TVector p = TLanes.MultiplyAdd(TLanes.Broadcast(C5), r, TLanes.Broadcast(C4));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(C3));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(C2));
        p = TLanes.MultiplyAdd(p, r, TLanes.Broadcast(C1));
        return TLanes.MultiplyAdd(p, r, TLanes.Broadcast(C0));
    }
}
