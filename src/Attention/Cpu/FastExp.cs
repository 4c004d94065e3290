namespace NativeAttention;

/// <summary>
/// Constants of <see cref="IVectorLanes{TVector}.ExpShifted"/>: e^x = 2^n · e^r with n = round(x·log2 e) and
/// |r| ≤ ln2/2, e^r by its Taylor polynomial to degree 7 (truncation below 6e-9 relative).
/// </summary>
internal static class FastExp
{
    /// <summary>log2(e).</summary>
    public const float Log2E = 1.44269504f;

    /// <summary>1.5·2^23: added to a float of magnitude below 2^22, it leaves the nearest integer in the low mantissa bits.</summary>
    public const float RoundingShift = 12582912f;

    /// <summary>The high part of ln 2, with few enough mantissa bits that n·<see cref="Ln2High"/> is exact.</summary>
    public const float Ln2High = 0.693359375f;

    /// <summary>ln 2 − <see cref="Ln2High"/>.</summary>
    public const float Ln2Low = -2.12194440e-4f;

    /// <summary>Below this argument the result is 0: n would reach −126, where adding it to the exponent field underflows.</summary>
    public const float MinArgument = -86.5f;

    /// <summary>1/2!.</summary>
    public const float C2 = 1f / 2f;

    /// <summary>1/3!.</summary>
    public const float C3 = 1f / 6f;

    /// <summary>1/4!.</summary>
    public const float C4 = 1f / 24f;

    /// <summary>1/5!.</summary>
    public const float C5 = 1f / 120f;

    /// <summary>1/6!.</summary>
    public const float C6 = 1f / 720f;

    /// <summary>1/7!.</summary>
    public const float C7 = 1f / 5040f;
}
