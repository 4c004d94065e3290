using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeAttention;

/// <summary>
/// Vectorized span conversions between <see cref="float"/> and the 16-bit formats <see cref="BFloat16"/> and
/// <see cref="Half"/>. Each result is bit-identical to the scalar conversion of the same element.
/// </summary>
/// <remarks>
/// The widening conversions and the narrowing to <see cref="BFloat16"/> use the widest accelerated vector (512, then
/// 256, then 128 bits) and a scalar tail. The narrowing to <see cref="Half"/> delegates to
/// <see cref="TensorPrimitives"/>, which is vectorized the same way. None of them allocate. The source and destination
/// must not overlap.
/// </remarks>
public static class FloatConversions
{
    private const uint HalfMagnitudeInSingle = 0x7FFFu << 13;
    private const int LargestFiniteHalfInSingle = 0x7BFF << 13;
    private const uint SingleExponentMask = 0x7F80_0000u;
    private const uint SingleSignMask = 0x8000_0000u;
    private const float HalfToSingleScale = 5.192296858534828e33f; // 2^112

    /// <summary>Widens each <see cref="BFloat16"/> in <paramref name="source"/> to <see cref="float"/>; exact.</summary>
    /// <param name="source">The values to widen.</param>
    /// <param name="destination">Receives the first <c>source.Length</c> results.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToSingle(ReadOnlySpan<BFloat16> source, Span<float> destination)
    {
        ThrowIfDestinationTooShort(source.Length, destination.Length, nameof(destination));
        ReadOnlySpan<ushort> bits = MemoryMarshal.Cast<BFloat16, ushort>(source);
        Span<uint> result = MemoryMarshal.Cast<float, uint>(destination);
        int done = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            done = BFloat16ToSingleVector512(bits, result);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            done = BFloat16ToSingleVector256(bits, result);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            done = BFloat16ToSingleVector128(bits, result);
        }

        BFloat16ToSingleScalar(bits[done..], result[done..]);
    }

    /// <summary>
    /// Rounds each <see cref="float"/> in <paramref name="source"/> to the nearest <see cref="BFloat16"/>, ties to
    /// even; every NaN stays a NaN.
    /// </summary>
    /// <param name="source">The values to round.</param>
    /// <param name="destination">Receives the first <c>source.Length</c> results.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToBFloat16(ReadOnlySpan<float> source, Span<BFloat16> destination)
    {
        ThrowIfDestinationTooShort(source.Length, destination.Length, nameof(destination));
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(source);
        Span<ushort> result = MemoryMarshal.Cast<BFloat16, ushort>(destination);
        int done = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            done = SingleToBFloat16Vector512(bits, result);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            done = SingleToBFloat16Vector256(bits, result);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            done = SingleToBFloat16Vector128(bits, result);
        }

        SingleToBFloat16Scalar(bits[done..], result[done..]);
    }

    /// <summary>Widens each <see cref="Half"/> in <paramref name="source"/> to <see cref="float"/>; exact.</summary>
    /// <param name="source">The values to widen.</param>
    /// <param name="destination">Receives the first <c>source.Length</c> results.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToSingle(ReadOnlySpan<Half> source, Span<float> destination)
    {
        ThrowIfDestinationTooShort(source.Length, destination.Length, nameof(destination));
        ReadOnlySpan<ushort> bits = MemoryMarshal.Cast<Half, ushort>(source);
        Span<uint> result = MemoryMarshal.Cast<float, uint>(destination);
        int done = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            done = HalfToSingleVector512(bits, result);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            done = HalfToSingleVector256(bits, result);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            done = HalfToSingleVector128(bits, result);
        }

        HalfToSingleScalar(bits[done..], result[done..]);
    }

    /// <summary>Rounds each <see cref="float"/> in <paramref name="source"/> to the nearest <see cref="Half"/>, ties to even.</summary>
    /// <param name="source">The values to round.</param>
    /// <param name="destination">Receives the first <c>source.Length</c> results.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="source"/>.</exception>
    public static void ToHalf(ReadOnlySpan<float> source, Span<Half> destination)
    {
        ThrowIfDestinationTooShort(source.Length, destination.Length, nameof(destination));
        TensorPrimitives.ConvertToHalf(source, destination[..source.Length]);
    }

    // The width-specific kernels below are internal so that tests can run every width on any machine: a vector
    // width the hardware does not accelerate still computes the same bits, only slower. Each returns how many
    // leading elements it converted; the caller finishes the rest with the scalar loop.

    internal static int BFloat16ToSingleVector512(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector512<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector512<ushort>.Count)
        {
            (Vector512<uint> lower, Vector512<uint> upper) = Vector512.Widen(Vector512.LoadUnsafe(ref src, (nuint)i));
            Vector512.ShiftLeft(lower, 16).StoreUnsafe(ref dst, (nuint)i);
            Vector512.ShiftLeft(upper, 16).StoreUnsafe(ref dst, (nuint)(i + Vector512<uint>.Count));
        }

        return i;
    }

    internal static int BFloat16ToSingleVector256(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector256<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector256<ushort>.Count)
        {
            (Vector256<uint> lower, Vector256<uint> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
            Vector256.ShiftLeft(lower, 16).StoreUnsafe(ref dst, (nuint)i);
            Vector256.ShiftLeft(upper, 16).StoreUnsafe(ref dst, (nuint)(i + Vector256<uint>.Count));
        }

        return i;
    }

    internal static int BFloat16ToSingleVector128(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector128<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector128<ushort>.Count)
        {
            (Vector128<uint> lower, Vector128<uint> upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, (nuint)i));
            Vector128.ShiftLeft(lower, 16).StoreUnsafe(ref dst, (nuint)i);
            Vector128.ShiftLeft(upper, 16).StoreUnsafe(ref dst, (nuint)(i + Vector128<uint>.Count));
        }

        return i;
    }

    internal static void BFloat16ToSingleScalar(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (uint)source[i] << 16;
        }
    }

    // The Half widenings load their halves with vpmovzxwd where the ISA has it: Vector256.Widen loads 32 bytes and
    // permutes them first, and the permute cost a quarter of the conversion (4.7 against 6.2 billion halves per second
    // on one 2-core Zen 3 core, 128-half rows in L1; TensorPrimitives.ConvertToSingle: 4.1).
    internal static int HalfToSingleVector512(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector512<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector512<ushort>.Count)
        {
            Vector512<uint> lower, upper;
            if (Avx512F.IsSupported)
            {
                lower = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref src, (nuint)i));
                upper = Avx512F.ConvertToVector512UInt32(Vector256.LoadUnsafe(ref src, (nuint)(i + Vector512<uint>.Count)));
            }
            else
            {
                (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref src, (nuint)i));
            }

            SingleBitsOfHalves(lower).StoreUnsafe(ref dst, (nuint)i);
            SingleBitsOfHalves(upper).StoreUnsafe(ref dst, (nuint)(i + Vector512<uint>.Count));
        }

        return i;
    }

    internal static int HalfToSingleVector256(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector256<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector256<ushort>.Count)
        {
            Vector256<uint> lower, upper;
            if (Avx2.IsSupported)
            {
                lower = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref src, (nuint)i)).AsUInt32();
                upper = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref src, (nuint)(i + Vector256<uint>.Count))).AsUInt32();
            }
            else
            {
                (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
            }

            SingleBitsOfHalves(lower).StoreUnsafe(ref dst, (nuint)i);
            SingleBitsOfHalves(upper).StoreUnsafe(ref dst, (nuint)(i + Vector256<uint>.Count));
        }

        return i;
    }

    internal static int HalfToSingleVector128(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector128<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector128<ushort>.Count)
        {
            (Vector128<uint> lower, Vector128<uint> upper) = Vector128.Widen(Vector128.LoadUnsafe(ref src, (nuint)i));
            SingleBitsOfHalves(lower).StoreUnsafe(ref dst, (nuint)i);
            SingleBitsOfHalves(upper).StoreUnsafe(ref dst, (nuint)(i + Vector128<uint>.Count));
        }

        return i;
    }

    internal static void HalfToSingleScalar(ReadOnlySpan<ushort> source, Span<uint> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf(source[i]));
        }
    }

    internal static int SingleToBFloat16Vector512(ReadOnlySpan<uint> source, Span<ushort> destination)
    {
        ref uint src = ref MemoryMarshal.GetReference(source);
        ref ushort dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector512<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector512<ushort>.Count)
        {
            Vector512<uint> lower = RoundToBFloat16Bits(Vector512.LoadUnsafe(ref src, (nuint)i));
            Vector512<uint> upper = RoundToBFloat16Bits(Vector512.LoadUnsafe(ref src, (nuint)(i + Vector512<uint>.Count)));
            Vector512.Narrow(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    internal static int SingleToBFloat16Vector256(ReadOnlySpan<uint> source, Span<ushort> destination)
    {
        ref uint src = ref MemoryMarshal.GetReference(source);
        ref ushort dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector256<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector256<ushort>.Count)
        {
            Vector256<uint> lower = RoundToBFloat16Bits(Vector256.LoadUnsafe(ref src, (nuint)i));
            Vector256<uint> upper = RoundToBFloat16Bits(Vector256.LoadUnsafe(ref src, (nuint)(i + Vector256<uint>.Count)));
            Vector256.Narrow(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    internal static int SingleToBFloat16Vector128(ReadOnlySpan<uint> source, Span<ushort> destination)
    {
        ref uint src = ref MemoryMarshal.GetReference(source);
        ref ushort dst = ref MemoryMarshal.GetReference(destination);
        int last = source.Length - Vector128<ushort>.Count;
        int i = 0;
        for (; i <= last; i += Vector128<ushort>.Count)
        {
            Vector128<uint> lower = RoundToBFloat16Bits(Vector128.LoadUnsafe(ref src, (nuint)i));
            Vector128<uint> upper = RoundToBFloat16Bits(Vector128.LoadUnsafe(ref src, (nuint)(i + Vector128<uint>.Count)));
            Vector128.Narrow(lower, upper).StoreUnsafe(ref dst, (nuint)i);
        }

        return i;
    }

    internal static void SingleToBFloat16Scalar(ReadOnlySpan<uint> source, Span<ushort> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = BFloat16.RoundToBits(source[i]);
        }
    }

    // Lane-wise copy of BFloat16.RoundToBits; the result sits in the low 16 bits of each lane so that Narrow keeps it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> RoundToBFloat16Bits(Vector512<uint> bits)
    {
        Vector512<uint> isNaN = Vector512.GreaterThan((bits & Vector512.Create(0x7FFF_FFFFu)).AsInt32(), Vector512.Create(0x7F80_0000)).AsUInt32();
        Vector512<uint> quieted = Vector512.ShiftRightLogical(bits, 16) | Vector512.Create(0x0040u);
        Vector512<uint> lsb = Vector512.ShiftRightLogical(bits, 16) & Vector512<uint>.One;
        Vector512<uint> rounded = Vector512.ShiftRightLogical(bits + Vector512.Create(0x7FFFu) + lsb, 16);
        return Vector512.ConditionalSelect(isNaN, quieted, rounded);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RoundToBFloat16Bits(Vector256<uint> bits)
    {
        Vector256<uint> isNaN = Vector256.GreaterThan((bits & Vector256.Create(0x7FFF_FFFFu)).AsInt32(), Vector256.Create(0x7F80_0000)).AsUInt32();
        Vector256<uint> quieted = Vector256.ShiftRightLogical(bits, 16) | Vector256.Create(0x0040u);
        Vector256<uint> lsb = Vector256.ShiftRightLogical(bits, 16) & Vector256<uint>.One;
        Vector256<uint> rounded = Vector256.ShiftRightLogical(bits + Vector256.Create(0x7FFFu) + lsb, 16);
        return Vector256.ConditionalSelect(isNaN, quieted, rounded);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RoundToBFloat16Bits(Vector128<uint> bits)
    {
        Vector128<uint> isNaN = Vector128.GreaterThan((bits & Vector128.Create(0x7FFF_FFFFu)).AsInt32(), Vector128.Create(0x7F80_0000)).AsUInt32();
        Vector128<uint> quieted = Vector128.ShiftRightLogical(bits, 16) | Vector128.Create(0x0040u);
        Vector128<uint> lsb = Vector128.ShiftRightLogical(bits, 16) & Vector128<uint>.One;
        Vector128<uint> rounded = Vector128.ShiftRightLogical(bits + Vector128.Create(0x7FFFu) + lsb, 16);
        return Vector128.ConditionalSelect(isNaN, quieted, rounded);
    }

    // A half's exponent and fraction, moved to a float's places and scaled by 2^112 (the difference of the exponent
    // biases), give its value exactly, subnormals included. Infinities and NaNs take float's all-ones exponent instead;
    // adding zero then quiets a signaling NaN as the scalar conversion does, and leaves every other magnitude as it is.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> SingleBitsOfHalves(Vector512<uint> halves)
    {
        Vector512<uint> magnitude = Vector512.ShiftLeft(halves, 13) & Vector512.Create(HalfMagnitudeInSingle);
        Vector512<float> scaled = magnitude.AsSingle() * Vector512.Create(HalfToSingleScale);
        Vector512<uint> special = Vector512.GreaterThan(magnitude.AsInt32(), Vector512.Create(LargestFiniteHalfInSingle)).AsUInt32();
        Vector512<float> value = Vector512.ConditionalSelect(special.AsSingle(), (magnitude | Vector512.Create(SingleExponentMask)).AsSingle(), scaled) + Vector512<float>.Zero;
        return value.AsUInt32() | (Vector512.ShiftLeft(halves, 16) & Vector512.Create(SingleSignMask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> SingleBitsOfHalves(Vector256<uint> halves)
    {
        Vector256<uint> magnitude = Vector256.ShiftLeft(halves, 13) & Vector256.Create(HalfMagnitudeInSingle);
        Vector256<float> scaled = magnitude.AsSingle() * Vector256.Create(HalfToSingleScale);
        Vector256<uint> special = Vector256.GreaterThan(magnitude.AsInt32(), Vector256.Create(LargestFiniteHalfInSingle)).AsUInt32();
        Vector256<float> value = Vector256.ConditionalSelect(special.AsSingle(), (magnitude | Vector256.Create(SingleExponentMask)).AsSingle(), scaled) + Vector256<float>.Zero;
        return value.AsUInt32() | (Vector256.ShiftLeft(halves, 16) & Vector256.Create(SingleSignMask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> SingleBitsOfHalves(Vector128<uint> halves)
    {
        Vector128<uint> magnitude = Vector128.ShiftLeft(halves, 13) & Vector128.Create(HalfMagnitudeInSingle);
        Vector128<float> scaled = magnitude.AsSingle() * Vector128.Create(HalfToSingleScale);
        Vector128<uint> special = Vector128.GreaterThan(magnitude.AsInt32(), Vector128.Create(LargestFiniteHalfInSingle)).AsUInt32();
        Vector128<float> value = Vector128.ConditionalSelect(special.AsSingle(), (magnitude | Vector128.Create(SingleExponentMask)).AsSingle(), scaled) + Vector128<float>.Zero;
        return value.AsUInt32() | (Vector128.ShiftLeft(halves, 16) & Vector128.Create(SingleSignMask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThrowIfDestinationTooShort(int sourceLength, int destinationLength, string destinationName)
    {
        if (destinationLength < sourceLength)
        {
            ThrowDestinationTooShort(sourceLength, destinationLength, destinationName);
        }
    }

    // Kept out of line so the hot callers stay small enough to inline.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort(int sourceLength, int destinationLength, string destinationName) =>
        throw new ArgumentException(
            $"Destination is too short: expected at least {sourceLength} elements (the source length), actual {destinationLength}.",
            destinationName);
}
