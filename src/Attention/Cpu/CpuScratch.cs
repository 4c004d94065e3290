using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeAttention;

/// <summary>
/// Per-thread working memory of the CPU kernel: one pinned array per thread, grown to the largest tile it has served
/// and reused by every later call, so that a call allocates nothing once its threads have warmed up.
/// </summary>
internal static unsafe class CpuScratch
{
    [ThreadStatic]
    private static float[]? t_buffer;

    /// <summary>Returns at least <paramref name="floats"/> floats of this thread's scratch, valid until its next call.</summary>
    /// <param name="floats">The number of floats needed.</param>
    /// <returns>A pointer into pinned memory owned by the calling thread.</returns>
    public static float* Rent(int floats)
    {
        float[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < floats)
        {
            // Pinned (POH) arrays stay put, and a thread's buffer dies with the thread instead of leaking native memory.
            buffer = GC.AllocateUninitializedArray<float>(floats, pinned: true);
            t_buffer = buffer;
        }

        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }
}
