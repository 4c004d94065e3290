using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// The decode path's per-call buffer of partial results: one pinned array kept between calls and handed to one call at
/// a time, so that repeated decode steps allocate nothing. A call that finds it taken (concurrent calls) gets its own.
/// </summary>
internal static unsafe class PartialBufferPool
{
    private static float[]? s_cached;

    /// <summary>Takes a pinned buffer of at least <paramref name="floats"/> floats.</summary>
    /// <param name="floats">The floats needed.</param>
    /// <returns>The buffer; give it back with <see cref="Return"/>.</returns>
    public static float[] Rent(long floats)
    {
        float[]? buffer = Interlocked.Exchange(ref s_cached, null);
        if (buffer is null || buffer.LongLength < floats)
        {
            buffer = GC.AllocateUninitializedArray<float>(checked((int)floats), pinned: true);
        }

        return buffer;
    }

    /// <summary>Keeps <paramref name="buffer"/> for the next call, unless a larger one is already kept.</summary>
    /// <param name="buffer">A buffer from <see cref="Rent"/>.</param>
    public static void Return(float[] buffer)
    {
        float[]? kept = Volatile.Read(ref s_cached);
        if (kept is null || kept.Length < buffer.Length)
        {
            Interlocked.CompareExchange(ref s_cached, buffer, kept);
        }
    }

    /// <summary>Gets the first float of a pinned buffer.</summary>
    /// <param name="buffer">A buffer from <see cref="Rent"/>.</param>
    /// <returns>Its address, stable because the array is pinned.</returns>
    public static float* Pointer(float[] buffer) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
}
