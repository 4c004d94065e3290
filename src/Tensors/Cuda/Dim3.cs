using System;

namespace NativeAttention;

/// <summary>A grid or block size in up to three dimensions, as <c>cuLaunchKernel</c> takes it.</summary>
public readonly record struct Dim3
{
    /// <summary>Creates a size; every component must be at least 1.</summary>
    /// <param name="x">The x extent.</param>
    /// <param name="y">The y extent.</param>
    /// <param name="z">The z extent.</param>
    public Dim3(int x, int y = 1, int z = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(x, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(y, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(z, 1);
        X = (uint)x;
        Y = (uint)y;
        Z = (uint)z;
    }

    /// <summary>Gets the x extent.</summary>
    public uint X { get; }

    /// <summary>Gets the y extent.</summary>
    public uint Y { get; }

    /// <summary>Gets the z extent.</summary>
    public uint Z { get; }

    /// <summary>Gets the product of the extents.</summary>
    public long Volume => (long)X * Y * Z;

    /// <summary>Creates a one-dimensional size.</summary>
    /// <param name="x">The x extent; at least 1.</param>
    public static implicit operator Dim3(int x) => new(x);

    /// <summary>Creates a one-dimensional size.</summary>
    /// <param name="x">The x extent; at least 1.</param>
    /// <returns>The size (x, 1, 1).</returns>
    public static Dim3 FromInt32(int x) => new(x);
}
