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
    private const int AlignmentFloats = 16;

    [ThreadStatic]
    private static float[]? t_buffer;

    [ThreadStatic]
    private static bool t_leased;

    /// <summary>Leases at least <paramref name="floats"/> floats of this thread's scratch until the lease is disposed.</summary>
    /// <param name="floats">The number of floats needed.</param>
    /// <returns>The lease; a nested lease on the same thread (a mod that itself runs attention) gets its own memory.</returns>
    public static Lease Rent(int floats)
    {
        // Room to start the lease on a 64-byte boundary: a 512-bit load that straddles two cache lines costs two.
        floats += AlignmentFloats;
        if (t_leased)
        {
            return new Lease(GC.AllocateUninitializedArray<float>(floats, pinned: true), ownsThreadBuffer: false);
        }

        float[]? buffer = t_buffer;
        if (buffer is null || buffer.Length < floats)
        {
            // Pinned (POH) arrays never move, and a thread's buffer dies with the thread instead of leaking native memory.
            buffer = GC.AllocateUninitializedArray<float>(floats, pinned: true);
            t_buffer = buffer;
        }

        t_leased = true;
        return new Lease(buffer, ownsThreadBuffer: true);
    }

    /// <summary>Scratch memory leased by one work item.</summary>
    internal ref struct Lease
    {
        private readonly float[] _buffer;
        private readonly bool _ownsThreadBuffer;

        /// <summary>Wraps a pinned array.</summary>
        /// <param name="buffer">The pinned array; the lease keeps it reachable.</param>
        /// <param name="ownsThreadBuffer">Whether disposing releases the thread's buffer.</param>
        public Lease(float[] buffer, bool ownsThreadBuffer)
        {
            _buffer = buffer;
            _ownsThreadBuffer = ownsThreadBuffer;
        }

        /// <summary>Gets the first float of the lease, on a 64-byte boundary.</summary>
        public readonly float* Pointer
        {
            get
            {
                float* first = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
                return (float*)(((nint)first + 63) & ~(nint)63);
            }
        }

        /// <summary>Returns the thread's buffer for the next lease.</summary>
        public readonly void Dispose()
        {
            if (_ownsThreadBuffer)
            {
                t_leased = false;
            }
        }
    }
}
