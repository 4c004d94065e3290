using System;
using System.ComponentModel;

namespace NativeAttention;

/// <summary>
/// A closed range of <see cref="int"/> values [<see cref="Min"/>, <see cref="Max"/>] that generated tile
/// classifiers compute with: every value an expression can take over a tile lies inside it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct IntInterval
{
    private IntInterval(int min, int max)
    {
        Min = min;
        Max = max;
    }

    /// <summary>Gets the smallest possible value.</summary>
    public int Min { get; }

    /// <summary>Gets the largest possible value.</summary>
    public int Max { get; }

    /// <summary>Gets whether the interval holds exactly one value.</summary>
    public bool IsPoint => Min == Max;

    /// <summary>Gets the interval of every <see cref="int"/>: nothing is known.</summary>
    public static IntInterval All => new(int.MinValue, int.MaxValue);

    /// <summary>Creates the interval that holds only <paramref name="value"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>[value, value].</returns>
    public static IntInterval Point(int value) => new(value, value);

    /// <summary>Creates [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">The smallest value.</param>
    /// <param name="max">The largest value, at least <paramref name="min"/>.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than <paramref name="min"/>.</exception>
    public static IntInterval Range(int min, int max)
    {
        if (max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The interval's last value must be at least its first value {min}.");
        }

        return new(min, max);
    }

    /// <summary>Creates the interval from 64-bit bounds; bounds outside <see cref="int"/> give <see cref="All"/>.</summary>
    /// <param name="min">The smallest exact value.</param>
    /// <param name="max">The largest exact value.</param>
    /// <returns>The interval, or <see cref="All"/> when the computation may wrap around.</returns>
    /// <remarks>C# <see cref="int"/> arithmetic wraps, so a result that may leave the range may be any value.</remarks>
    public static IntInterval FromWide(long min, long max)
        => min < int.MinValue || max > int.MaxValue ? All : new((int)min, (int)max);

    /// <inheritdoc/>
    public override string ToString() => IsPoint ? $"[{Min}]" : $"[{Min}, {Max}]";
}
