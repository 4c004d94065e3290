using System;

namespace NativeAttention.Tests.Support;

/// <summary>A capture array on the pinned object heap, so that a <see cref="CaptureSpan{T}"/> over it stays valid.</summary>
public sealed unsafe class PinnedCapture<T>
    where T : unmanaged
{
    public PinnedCapture(ReadOnlySpan<T> values)
    {
        Values = GC.AllocateArray<T>(values.Length, pinned: true);
        values.CopyTo(Values);
    }

    public T[] Values { get; }

    public CaptureSpan<T> Span
    {
        get
        {
            fixed (T* pointer = Values)
            {
                // The array lives on the pinned object heap: the pointer outlives the fixed block safely.
                return new CaptureSpan<T>(pointer, Values.Length);
            }
        }
    }
}
