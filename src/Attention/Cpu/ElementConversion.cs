using System;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// The one place where the CPU kernel widens tensor elements to <see cref="float"/> and narrows results back, through
/// the vectorized <see cref="FloatConversions"/>.
/// </summary>
internal static unsafe class ElementConversion
{
    /// <summary>Widens <paramref name="count"/> elements to <see cref="float"/>.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.</typeparam>
    /// <param name="source">The first element to read.</param>
    /// <param name="destination">The first float to write.</param>
    /// <param name="count">The number of elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToSingle<T>(T* source, float* destination, int count)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(destination, count));
        }
        else if (typeof(T) == typeof(Half))
        {
            FloatConversions.ToSingle(new ReadOnlySpan<Half>(source, count), new Span<float>(destination, count));
        }
        else if (typeof(T) == typeof(BFloat16))
        {
            FloatConversions.ToSingle(new ReadOnlySpan<BFloat16>(source, count), new Span<float>(destination, count));
        }
        else
        {
            SupportedElementTypes.ThrowIfUnsupported<T>();
        }
    }

    /// <summary>Narrows <paramref name="count"/> floats to <typeparamref name="T"/>, rounding to nearest even.</summary>
    /// <typeparam name="T"><see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.</typeparam>
    /// <param name="source">The first float to read.</param>
    /// <param name="destination">The first element to write.</param>
    /// <param name="count">The number of elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FromSingle<T>(float* source, T* destination, int count)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(destination, count));
        }
        else if (typeof(T) == typeof(Half))
        {
            FloatConversions.ToHalf(new ReadOnlySpan<float>(source, count), new Span<Half>(destination, count));
        }
        else if (typeof(T) == typeof(BFloat16))
        {
            FloatConversions.ToBFloat16(new ReadOnlySpan<float>(source, count), new Span<BFloat16>(destination, count));
        }
        else
        {
            SupportedElementTypes.ThrowIfUnsupported<T>();
        }
    }
}
