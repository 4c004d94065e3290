using System;
using System.Runtime.CompilerServices;

namespace NativeAttention.Tests.Gpu;

/// <summary>Conversions between the GPU element types and float for tests.</summary>
internal static class GpuTestElements
{
    public static T FromFloat<T>(float value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(Half))
        {
            Half half = (Half)value;
            return Unsafe.As<Half, T>(ref half);
        }

        BFloat16 bf16 = (BFloat16)value;
        return Unsafe.As<BFloat16, T>(ref bf16);
    }

    public static float ToFloat<T>(T value)
        where T : unmanaged
        => typeof(T) == typeof(Half) ? (float)Unsafe.As<T, Half>(ref value) : (float)Unsafe.As<T, BFloat16>(ref value);

    /// <summary>Random values in [-1, 1] rounded to <typeparamref name="T"/>, and the same values as floats (exactly).</summary>
    public static (T[] Elements, float[] Values) Random<T>(Random random, long count)
        where T : unmanaged
    {
        var elements = new T[count];
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            elements[i] = FromFloat<T>((float)((random.NextDouble() * 2) - 1));
            values[i] = ToFloat(elements[i]);
        }

        return (elements, values);
    }
}
