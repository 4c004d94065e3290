using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;

namespace NativeAttention;

/// <summary>
/// A block of unmanaged host memory holding <see cref="Length"/> elements of <typeparamref name="T"/>, aligned to
/// 64 bytes (a cache line, and the width of a 512-bit vector), for kernel scratch space.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <remarks>
/// The memory is not initialized. Dispose the buffer to free it, or hand it back with
/// <see cref="NativeBufferPool.Return{T}(NativeBuffer{T})"/>; once returned, the pool owns it, and disposing the
/// stale reference does nothing while the buffer sits in the pool. A buffer that is never disposed is freed by its
/// finalizer.
/// </remarks>
public sealed unsafe class NativeBuffer<T> : IDisposable where T : unmanaged
{
    private const int InUse = 0;
    private const int InPool = 1;
    private const int Released = 2;

    private readonly AlignedNativeMemoryHandle _memory;
    private readonly T* _pointer;
    private int _state;

    /// <summary>Allocates an uninitialized, 64-byte aligned buffer of <paramref name="length"/> elements.</summary>
    /// <param name="length">The number of elements; zero is allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="OutOfMemoryException">The allocation failed.</exception>
    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _memory = AlignedNativeMemoryHandle.Allocate(checked((nuint)length * (nuint)sizeof(T)), NativeBufferPool.Alignment);
        _pointer = (T*)_memory.Pointer;
        Length = length;
    }

    /// <summary>Gets the number of elements.</summary>
    public int Length { get; }

    /// <summary>Gets whether the buffer is no longer usable: disposed, or returned to a pool.</summary>
    public bool IsDisposed => Volatile.Read(ref _state) != InUse;

    /// <summary>Gets the address of the first element, aligned to 64 bytes.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed or returned to a pool.</exception>
    public T* Pointer
    {
        get
        {
            ThrowIfNotInUse();
            return _pointer;
        }
    }

    /// <summary>Gets the elements as a span.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed or returned to a pool.</exception>
    public Span<T> Span
    {
        get
        {
            ThrowIfNotInUse();
            return new Span<T>(_pointer, Length);
        }
    }

    /// <summary>Gets the size of the buffer in bytes.</summary>
    internal long ByteCount => (long)Length * sizeof(T);

    /// <summary>Frees the memory. Calling it again, or on a buffer that sits in a pool, does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _state, Released, InUse) == InUse)
        {
            _memory.Dispose();
        }
    }

    /// <summary>Moves the buffer from its user to a pool.</summary>
    /// <returns><see langword="false"/> when the buffer was already disposed or already in a pool.</returns>
    internal bool TryMoveToPool() => Interlocked.CompareExchange(ref _state, InPool, InUse) == InUse;

    /// <summary>Moves the buffer from a pool to a new user.</summary>
    internal void MoveOutOfPool() => Volatile.Write(ref _state, InUse);

    /// <summary>Frees a buffer that a pool holds and will not keep.</summary>
    internal void ReleaseFromPool()
    {
        if (Interlocked.CompareExchange(ref _state, Released, InPool) == InPool)
        {
            _memory.Dispose();
        }
    }

    /// <summary>Gets whether the buffer sits in a pool.</summary>
    internal bool IsInPool => Volatile.Read(ref _state) == InPool;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ThrowIfNotInUse()
    {
        if (_state != InUse)
        {
            ThrowNotInUse();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotInUse() =>
        throw new ObjectDisposedException(
            GetType().Name,
            _state == InPool
                ? "The buffer was returned to a pool; rent a new one."
                : "The buffer was disposed.");
}
