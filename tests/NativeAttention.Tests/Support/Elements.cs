using System;

namespace NativeAttention.Tests.Support;

/// <summary>Conversions between the tested element types and <see cref="double"/>.</summary>
public static class Elements
{
    public static double ToDouble<T>(T element)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return (float)(object)element;
        }

        if (typeof(T) == typeof(Half))
        {
            return (double)(Half)(object)element;
        }

        if (typeof(T) == typeof(BFloat16))
        {
            return (double)(BFloat16)(object)element;
        }

        throw new NotSupportedException(typeof(T).FullName);
    }

    public static T FromDouble<T>(double value)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return (T)(object)(float)value;
        }

        if (typeof(T) == typeof(Half))
        {
            return (T)(object)(Half)value;
        }

        if (typeof(T) == typeof(BFloat16))
        {
            return (T)(object)(BFloat16)value;
        }

        throw new NotSupportedException(typeof(T).FullName);
    }
}
