using System;

namespace NativeAttention;

/// <summary>The element types the CPU attention paths read and write.</summary>
internal static class SupportedElementTypes
{
    /// <summary>Throws unless <typeparamref name="T"/> is <see cref="float"/>, <see cref="Half"/> or <see cref="BFloat16"/>.</summary>
    /// <typeparam name="T">The tensor element type.</typeparam>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is another type.</exception>
    public static void ThrowIfUnsupported<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(Half) && typeof(T) != typeof(BFloat16))
        {
            throw new NotSupportedException(
                $"Attention on the CPU supports elements of type System.Single, System.Half and NativeAttention.BFloat16, but got {typeof(T).FullName}.");
        }
    }
}
