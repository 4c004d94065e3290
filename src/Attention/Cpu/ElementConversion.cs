using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeAttention;

/// <summary>
/// The one place where the CPU kernel widens tensor elements to <see cref="float"/> and narrows results back, so that a
/// faster conversion can replace it without touching the kernel.
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
            TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(source, count), new Span<float>(destination, count));
        }
        else if (typeof(T) == typeof(BFloat16))
        {
            BFloat16ToSingle((ushort*)source, destination, count);
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
            TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(source, count), new Span<Half>(destination, count));
        }
        else if (typeof(T) == typeof(BFloat16))
        {
            BFloat16* target = (BFloat16*)destination;
            for (int i = 0; i < count; i++)
            {
                target[i] = (BFloat16)source[i];
            }
        }
        else
        {
            SupportedElementTypes.ThrowIfUnsupported<T>();
        }
    }

    private static void BFloat16ToSingle(ushort* source, float* destination, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<ushort>.Count <= count; i += Vector256<ushort>.Count)
            {
                (Vector256<uint> lower, Vector256<uint> upper) = Vector256.Widen(Vector256.Load(source + i));
                Vector256.ShiftLeft(lower, 16).AsSingle().Store(destination + i);
                Vector256.ShiftLeft(upper, 16).AsSingle().Store(destination + i + Vector256<uint>.Count);
            }
        }

        for (; i < count; i++)
        {
            destination[i] = BitConverter.UInt32BitsToSingle((uint)source[i] << 16);
        }
    }
}
