using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace NativeAttention;

/// <summary>
/// A span capture of a spec as the CPU kernels see it: a pointer to memory pinned for the duration of one
/// <c>Forward</c> call, and its length. Unlike <see cref="ReadOnlySpan{T}"/> it can be shared by worker threads.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="int"/>.</typeparam>
/// <remarks>Created by generated code inside a <see langword="fixed"/> block; never outlives that block.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct CaptureSpan<T>
    where T : unmanaged
{
    private readonly T* _pointer;
    private readonly int _length;

    /// <summary>Wraps pinned memory.</summary>
    /// <param name="pointer">The first element, pinned by the caller.</param>
    /// <param name="length">The number of elements.</param>
    public CaptureSpan(T* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    /// <summary>Gets the number of elements.</summary>
    public int Length => _length;

    /// <summary>Gets the elements as a span.</summary>
    public ReadOnlySpan<T> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_pointer, _length);
    }
}
