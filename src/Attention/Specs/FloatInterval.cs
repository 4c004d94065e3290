using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// A closed range of <see cref="float"/> values [<see cref="Min"/>, <see cref="Max"/>], possibly also NaN, that
/// generated tile classifiers compute with.
/// </summary>
/// <remarks>
/// Bounds are computed with the same single-precision operations as the mask itself; round-to-nearest is monotone,
/// so rounded bounds still enclose every rounded result.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct FloatInterval
{
    private FloatInterval(float min, float max, bool mayBeNaN)
    {
        Min = min;
        Max = max;
        MayBeNaN = mayBeNaN;
    }

    /// <summary>Gets the smallest possible non-NaN value.</summary>
    public float Min { get; }

    /// <summary>Gets the largest possible non-NaN value.</summary>
    public float Max { get; }

    /// <summary>Gets whether the value may be NaN.</summary>
    public bool MayBeNaN { get; }

    /// <summary>Gets whether the interval holds exactly one non-NaN value.</summary>
    public bool IsPoint => !MayBeNaN && Min.Equals(Max);

    /// <summary>Gets the interval of every <see cref="float"/> including NaN: nothing is known.</summary>
    public static FloatInterval All => new(float.NegativeInfinity, float.PositiveInfinity, true);

    /// <summary>Creates the interval that holds only <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>[value, value], or <see cref="All"/> for NaN.</returns>
    public static FloatInterval Point(float value) => float.IsNaN(value) ? All : new(value, value, false);

    /// <summary>Creates [<paramref name="min"/>, <paramref name="max"/>] from bounds that may be NaN.</summary>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value.</param>
    /// <returns>The interval, or <see cref="All"/> when a bound is NaN or the bounds are out of order.</returns>
    public static FloatInterval Range(float min, float max)
        => float.IsNaN(min) || float.IsNaN(max) || max < min ? All : new(min, max, false);

    /// <summary>Adds the possibility of NaN to an interval.</summary>
    /// <returns>The same bounds, NaN allowed.</returns>
    public FloatInterval WithNaN() => new(Min, Max, true);

    /// <inheritdoc/>
    public override string ToString() => (IsPoint ? $"[{Min}]" : $"[{Min}, {Max}]") + (MayBeNaN ? "+NaN" : string.Empty);
}
